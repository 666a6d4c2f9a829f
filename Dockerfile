# Assay in a container (documentation of a deployment: nothing in the repository runs Docker).
# One image for every role: `--role web`, `--role worker` or `--role all` (the default).
# Linux x64 with glibc: nodejs-polars ships a native module for it (so no Alpine image).

# The web UI is built with the dev dependencies (Vite, Lit), then only web/dist is kept.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build:web

FROM node:24-bookworm-slim
WORKDIR /app
# MALLOC_ARENA_MAX: glibc keeps an allocator arena per polars thread otherwise; GLIBC_TUNABLES:
# huge pages for polars' column-sized blocks (see the README's configuration).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    MALLOC_ARENA_MAX=2 \
    GLIBC_TUNABLES=glibc.malloc.hugetlb=1
COPY package.json package-lock.json ./
# Without dev dependencies: node:24 itself stands in for the pinned `node` package.
RUN npm ci --omit=dev && npm cache clean --force
COPY server ./server
COPY cells ./cells
COPY rules ./rules
COPY migrations ./migrations
COPY --from=build /app/web/dist ./web/dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000 9464
# The server handles SIGTERM itself: it stops taking requests and jobs, lets running jobs
# finish for ASSAY_SHUTDOWN_SECONDS (then hands them back), and closes the database last.
# Give it longer than that before the runtime's SIGKILL (compose: stop_grace_period).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "server/main.ts"]
CMD ["--role", "all"]
