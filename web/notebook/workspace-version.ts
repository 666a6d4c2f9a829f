// The workspace version a notebook page's changes carry, so one made on a stale page is refused
// (409) rather than applied blindly. The page owns one and hands it to its cells: every change
// (a cell's save, move, rename or delete; the title; a drag) asks it what to send.

export class WorkspaceVersion {
  #shown: number | undefined;
  #refusedOn: number | undefined;
  #waiting: (() => void)[] = [];

  /** The version the page shows now: a load of the workspace, or one its own change made. */
  show(version: number): void {
    this.#shown = version;
    if (this.#refusedOn !== undefined && version !== this.#refusedOn) {
      this.#refusedOn = undefined;
      for (const resolve of this.#waiting.splice(0)) resolve();
    }
  }

  /**
   * A change was refused on the version shown; the page reloads the workspace. Until the newer
   * version arrives, a change tried again waits for it (toSend) rather than be refused on the
   * same stale version: saving again at once after "Someone else changed this workspace" was
   * refused a second time when the reload had not landed yet (seen under load).
   */
  refused(): void {
    this.#refusedOn = this.#shown;
  }

  /** The version a change carries: after a refusal, the reloaded one (waited for up to `waitMs`), else the one shown. */
  async toSend(waitMs = 5_000): Promise<number | undefined> {
    if (this.#refusedOn !== undefined && this.#shown === this.#refusedOn) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiting.push(resolve);
        timer = setTimeout(resolve, waitMs);
      });
      clearTimeout(timer);
    }
    return this.#shown;
  }
}
