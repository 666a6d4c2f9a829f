// <assay-share-dialog>: the notebook's Share button and its dialog. Share links (role,
// expiry, label; copy the URL once, list, revoke), shares with a person by email, and for
// the owner whether editors may share and the workspace's activity (the audit trail).
import { css, html, LitElement, nothing } from 'lit';
import { api, type AuditLine, type Member, type ShareLink, type Workspace } from '../api.ts';
import { timeAgo } from '../../cells/kit/format.ts';
import { controlStyles } from '../ui/styles.ts';

const EXPIRIES: [label: string, days: number | null][] = [['never', null], ['1 day', 1], ['7 days', 7], ['30 days', 30]];

/** One line of the activity, in words. */
export function describeAudit(line: Pick<AuditLine, 'action' | 'detail'>): string {
  const d = line.detail as Record<string, unknown>;
  const named = (x: unknown) => (typeof x === 'string' && x ? ` "${x}"` : '');
  switch (line.action) {
    case 'workspace.created': return 'created the workspace';
    case 'workspace.renamed': return `renamed the workspace to${named(d.to)}`;
    case 'workspace.sharing': return d.editorsCanShare ? 'let editors share' : 'stopped editors sharing';
    case 'workspace.ran': return 'ran the stale cells';
    case 'cell.created': return `added cell${named(d.name)}`;
    case 'cell.edited': return `edited cell${named(d.name)}`;
    case 'cell.deleted': return `deleted cell${named(d.name)}`;
    case 'file.uploaded': return `uploaded${named(d.file)} to${named(d.name)}`;
    case 'link.created': return `created a ${String(d.role)} link${named(d.label)}`;
    case 'link.revoked': return `revoked a ${String(d.role)} link${named(d.label)}`;
    case 'link.opened': return `opened a ${String(d.role)} link${named(d.label)}`;
    case 'member.added': return `shared with ${String(d.email)} (${String(d.role)})`;
    case 'member.removed': return `stopped sharing with ${String(d.email)}`;
    case 'webhook.set': return `set the webhook to ${String(d.host)} (${d.when === 'always' ? 'every run' : 'when a rule fails'})`;
    case 'webhook.removed': return 'removed the webhook';
    default: return line.action;
  }
}

/** A share URL that opens the presentation view instead of the notebook (web/router.ts reads `?present`). */
export function presentUrl(url: string, present: boolean): string {
  if (!present || !url) return url;
  const u = new URL(url);
  u.searchParams.set('present', '');
  return u.toString().replace(/present=$/, 'present');
}

export class ShareDialog extends LitElement {
  static properties = {
    workspace: { attribute: false },
    links: { state: true },
    members: { state: true },
    trail: { state: true },
    created: { state: true },
    error: { state: true },
    busy: { state: true },
    copied: { state: true },
    presentLink: { state: true },
  };

  static styles = [controlStyles, css`
    dialog { width: min(720px, calc(100vw - 32px)); max-height: calc(100vh - 64px); border: 1px solid var(--border); border-radius: 12px; padding: 0; background: var(--surface); color: var(--fg); box-shadow: var(--shadow); }
    dialog::backdrop { background: rgb(0 0 0 / .35); }
    header { display: flex; align-items: center; gap: 8px; padding: 14px 18px; border-bottom: 1px solid var(--border); }
    header h2 { flex: 1; margin: 0; font-size: 17px; overflow-wrap: anywhere; }
    section { padding: 12px 18px; }
    section + section { border-top: 1px solid var(--border); }
    h3 { margin: 0 0 8px; font-size: 14px; }
    form { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
    form input[name="label"], form input[name="email"] { flex: 1 1 180px; }
    .created { margin-top: 10px; display: flex; gap: 8px; align-items: center; }
    .created input { flex: 1; font-family: var(--mono); font-size: 12px; }
    ul { list-style: none; margin: 10px 0 0; padding: 0; }
    li { display: flex; gap: 10px; align-items: center; padding: 6px 0; font-size: 13px; }
    li + li { border-top: 1px solid var(--border); }
    li .what { flex: 1; overflow-wrap: anywhere; }
    .badge { font-size: 11px; padding: 1px 6px; border-radius: 4px; border: 1px solid var(--border-strong); text-transform: uppercase; }
    .gone { opacity: .6; }
    .note { font-size: 12px; color: var(--muted); }
    .audit { max-height: 220px; overflow: auto; }
    .audit li { font-size: 12px; }
  `];

  declare workspace: Workspace;
  declare links: ShareLink[];
  declare members: Member[];
  declare trail: AuditLine[];
  declare created: ShareLink | null;
  declare error: string;
  declare busy: boolean;
  declare copied: boolean;
  /**
   * The link opens the presentation view: `?present` on the share URL (kept in the link, not
   * with the share, so one share can be handed out both ways; the share page reads it).
   */
  declare presentLink: boolean;

  constructor() {
    super();
    this.links = [];
    this.members = [];
    this.trail = [];
    this.created = null;
    this.error = '';
    this.busy = false;
    this.copied = false;
    this.presentLink = false;
  }

  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  private get isOwner(): boolean {
    return this.workspace.role === 'owner';
  }

  private open = async () => {
    this.created = null;
    this.error = '';
    this.dialog.showModal();
    await this.reload();
  };

  private async reload(): Promise<void> {
    const id = this.workspace.id;
    try {
      const [links, members, trail] = await Promise.all([
        api.shares(id), api.members(id), this.isOwner ? api.audit(id) : Promise.resolve([]),
      ]);
      this.links = links;
      this.members = members;
      this.trail = trail;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  /** Runs a change, shows its error where the dialog shows errors, and reloads the lists. */
  private async act(change: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      await change();
      await this.reload();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  private createLink = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    const days = EXPIRIES.find(([label]) => label === value('expiry'))?.[1] ?? null;
    const expiresAt = days === null ? null : new Date(Date.now() + days * 86400_000).toISOString();
    void this.act(async () => {
      this.created = await api.createShare(this.workspace.id, { role: value('role') as 'view' | 'edit', label: value('label'), expiresAt });
      this.copied = false;
      form.reset();
    });
  };

  private copy = async () => {
    const input = this.renderRoot.querySelector<HTMLInputElement>('[data-testid="share-url"]');
    if (!input) return;
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      // No clipboard permission: leave the URL selected for Ctrl+C.
      input.select();
    }
    this.copied = true;
  };

  private addMember = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const email = (form.elements.namedItem('email') as HTMLInputElement).value.trim();
    const role = (form.elements.namedItem('role') as HTMLSelectElement).value as 'view' | 'edit';
    void this.act(async () => {
      await api.addMember(this.workspace.id, email, role);
      form.reset();
    });
  };

  private toggleEditorsShare = (e: Event) => {
    const on = (e.target as HTMLInputElement).checked;
    void this.act(async () => {
      const fresh = await api.setEditorsCanShare(this.workspace.id, on);
      this.workspace = { ...this.workspace, editorsCanShare: fresh.editorsCanShare };
    });
  };

  override render() {
    const ws = this.workspace;
    return html`
      <button data-testid="share-open" @click=${this.open}>Share</button>
      <dialog aria-labelledby="share-title" @close=${() => { this.created = null; }}>
        <header>
          <h2 id="share-title">Share “${ws.title}”</h2>
          <button class="ghost" data-testid="share-close" aria-label="Close" @click=${() => this.dialog.close()}>Close</button>
        </header>
        ${this.error ? html`<section><p class="error-text" role="alert" data-testid="share-error">${this.error}</p></section>` : nothing}
        <section>
          <h3>Links</h3>
          <form @submit=${this.createLink}>
            <select name="role" aria-label="What the link allows" data-testid="share-role">
              <option value="view">can view</option>
              <option value="edit">can edit</option>
            </select>
            <select name="expiry" aria-label="Link expires after" data-testid="share-expiry">
              ${EXPIRIES.map(([label]) => html`<option value=${label}>${label === 'never' ? 'never expires' : `expires in ${label}`}</option>`)}
            </select>
            <input name="label" placeholder="label (who it is for)" maxlength="100" aria-label="Label" data-testid="share-label">
            <button class="primary" type="submit" data-testid="share-create" ?disabled=${this.busy}>Create link</button>
            <label class="note"><input type="checkbox" data-testid="share-present" .checked=${this.presentLink}
              @change=${(e: Event) => { this.presentLink = (e.target as HTMLInputElement).checked; this.copied = false; }}>
              open the presentation view (for reading, no editors)</label>
          </form>
          ${this.created ? html`
            <div class="created">
              <input readonly .value=${presentUrl(this.created.url ?? '', this.presentLink)} aria-label="Share link" data-testid="share-url" @focus=${(e: Event) => (e.target as HTMLInputElement).select()}>
              <button data-testid="share-copy" @click=${this.copy}>${this.copied ? 'Copied' : 'Copy'}</button>
            </div>
            <p class="note">Copy it now: the link is shown only once (it is stored as a hash).</p>` : nothing}
          <ul data-testid="share-links">
            ${this.links.map((l) => html`
              <li class=${l.state === 'live' ? '' : 'gone'} data-testid="share-link" data-state=${l.state ?? ''}>
                <span class="badge">${l.role}</span>
                <span class="what">${l.label || html`<span class="muted">no label</span>`}
                  <span class="note">· ${l.state === 'revoked' ? 'revoked' : l.state === 'expired' ? 'expired'
                    : l.expiresAt ? `expires ${new Date(l.expiresAt).toLocaleString()}` : 'no expiry'}
                    · by ${l.createdBy?.email ?? 'someone'} ${timeAgo(l.createdAt)}</span></span>
                ${l.state === 'live' ? html`<button class="danger" data-testid="share-revoke" ?disabled=${this.busy}
                  @click=${() => this.act(() => api.revokeShare(ws.id, l.id))}>Revoke</button>` : nothing}
              </li>`)}
          </ul>
        </section>
        <section>
          <h3>People</h3>
          <form @submit=${this.addMember}>
            <input name="email" type="email" placeholder="colleague@example.com" aria-label="Email" required data-testid="member-email">
            <select name="role" aria-label="Their access" data-testid="member-role">
              <option value="view">can view</option>
              <option value="edit">can edit</option>
            </select>
            <button type="submit" data-testid="member-add" ?disabled=${this.busy}>Share</button>
          </form>
          <ul data-testid="members">
            ${this.members.map((m) => html`
              <li data-testid="member">
                <span class="badge">${m.role}</span>
                <span class="what">${m.email}${m.hasAccount === false ? html` <span class="note">· no account yet</span>` : nothing}</span>
                <button class="danger" ?disabled=${this.busy} @click=${() => this.act(() => api.removeMember(ws.id, m.id))}>Remove</button>
              </li>`)}
          </ul>
        </section>
        ${this.isOwner ? html`
          <section>
            <label><input type="checkbox" data-testid="editors-can-share" .checked=${ws.editorsCanShare ?? false} @change=${this.toggleEditorsShare}>
              People who can edit may share too</label>
          </section>
          <section>
            <h3>Activity</h3>
            <ul class="audit" data-testid="audit">
              ${this.trail.map((a) => html`<li><span class="what"><b>${a.actor ?? 'someone'}</b> ${describeAudit(a)}</span>
                <span class="note" title=${new Date(a.createdAt).toLocaleString()}>${timeAgo(a.createdAt)}</span></li>`)}
            </ul>
          </section>` : nothing}
      </dialog>
    `;
  }
}

customElements.define('assay-share-dialog', ShareDialog);

declare global {
  interface HTMLElementTagNameMap {
    'assay-share-dialog': ShareDialog;
  }
}
