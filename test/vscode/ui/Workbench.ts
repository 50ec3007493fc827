/**
 * Driving the real VS Code workbench (code-server in headless Chromium) the way a user does: the command
 * palette, the explorer's context menu, the activity bar, tree rows, the terminal, hovers. Selectors are
 * VS Code's own DOM classes (REAL-PARTS.md). Screenshots go to test-artifacts/screenshots/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, type Browser } from '../browser';
import { REPO_ROOT, startCodeServer, type CodeServer, type CodeServerOptions } from '../codeServer';
import { SCREENSHOT_DIR } from '../testEnvironment';

/** Long enough for a run to build an image; every wait is for a visible state, never a fixed time. */
export const UI_TIMEOUT_MS = 90_000;

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly workspace: string,
    private readonly server: CodeServer,
    private readonly browser: Browser,
  ) {}

  /**
   * code-server on `workspace` with the extension under development loaded (or, with `installed`, the
   * extensions installed into code-server, e.g. from a .vsix), in a fresh browser. With Workspace Trust
   * on, `trust` answers the trust dialog.
   */
  static async open(
    workspace: string,
    options: CodeServerOptions & { trust?: boolean; installed?: boolean } = {},
  ): Promise<Workbench> {
    const server = await startCodeServer({
      ...options,
      settings: {
        // The DOM renderer keeps the terminal's text in the page, where the tests can read it.
        'terminal.integrated.gpuAcceleration': 'off',
        'workbench.colorTheme': 'Default Dark Modern',
        ...options.settings,
      },
    });
    const browser = await launchBrowser();
    const page = await browser.context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${REPO_ROOT}`],
    ]);
    const query = options.installed ? '' : `&payload=${encodeURIComponent(payload)}`;
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}${query}`);
    const workbench = new Workbench(page, workspace, server, browser);
    await page.locator('.monaco-workbench').waitFor();
    if (options.workspaceTrust && options.trust !== undefined) {
      const answer = options.trust ? /^Yes, I trust the authors/ : /^No, I don.t trust the authors/;
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.locator('.monaco-button', { hasText: answer }).first().click();
      await dialog.waitFor({ state: 'detached' });
    }
    // Our activity-bar entry appears once the extension's contributions are registered.
    await workbench.activityBarItem().waitFor();
    if (!options.workspaceTrust || options.trust === true) await workbench.waitUntilTrusted();
    return workbench;
  }

  /**
   * The web workbench settles `isWorkspaceTrusted` a moment after it shows: until then commands enabled
   * only in trusted workspaces (Run Task, Build Context) are missing from the palette and greyed out in
   * menus, and a palette opened meanwhile never lists them. Reopen the palette until Run Task is listed.
   */
  private async waitUntilTrusted(): Promise<void> {
    const deadline = Date.now() + UI_TIMEOUT_MS;
    const input = this.page.locator('.quick-input-widget input');
    for (;;) {
      await this.page.keyboard.press('F1');
      await input.waitFor();
      await input.fill('>ACR Tasks: Run Task');
      const listed = await this.quickPickRow('ACR Tasks: Run Task')
        .first()
        .waitFor({ timeout: 2_000 })
        .then(
          () => true,
          () => false,
        );
      await this.page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden' });
      if (listed) return;
      if (Date.now() > deadline) throw new Error('the workspace never became trusted: Run Task stays disabled');
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
  }

  serverLog(): string {
    return this.server.log();
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  activityBarItem(): Locator {
    return this.page.locator('.activitybar .action-item a[aria-label^="ACR Tasks"]');
  }

  /** F1, type the command, and pick the row whose label is exactly `label` (fuzzy order varies). */
  async runCommand(label: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${label}`);
    await this.quickPick(label);
  }

  /** Picks the quick-pick row whose label is exactly `label`. */
  async quickPick(label: string): Promise<void> {
    await this.quickPickRow(label).first().click();
  }

  private quickPickRow(label: string): Locator {
    return this.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  }

  /**
   * Opens a top-level workspace file from the explorer. (Quick Open puts recently opened files first and
   * re-sorts while results arrive, so a click or Enter there can open a neighbour.)
   */
  async openFile(name: string): Promise<void> {
    const row = await this.explorerRow(name);
    await row.click();
    await this.page.locator(`.tab.active[aria-label^="${name}"]`).waitFor();
  }

  /** The explorer row of a workspace file (the explorer is opened first). */
  async explorerRow(name: string): Promise<Locator> {
    await this.page.keyboard.press('Control+Shift+E');
    const row = this.page.locator('.explorer-folders-view .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }),
    });
    await row.waitFor();
    return row;
  }

  /**
   * Clicks a context-menu entry (VS Code draws its menus in a shadow root; Playwright pierces it). Right
   * after start-up a menu can open before its `when` context keys are set (the entry is missing), and a
   * click that lands while the menu is still being placed is lost; either way, open it again.
   */
  async contextMenu(target: Locator, entry: string): Promise<void> {
    const menu = this.page.locator('.monaco-menu');
    const item = menu.locator('.action-item', {
      has: this.page.locator('.action-label', { hasText: new RegExp(`^${escapeRegExp(entry)}$`) }),
    });
    for (let attempt = 1; ; attempt++) {
      await target.click({ button: 'right' });
      try {
        // Under load the menu can open before its entries are contributed: only then try again.
        await item.first().waitFor({ timeout: 5_000 });
      } catch (error) {
        if (attempt === 5) throw error;
        await this.closeMenus(menu);
        continue;
      }
      // A click the menu takes closes it; then the command runs, so never click again and never press
      // Escape — it would dismiss the input box the command may already show. A menu still open after a
      // while did not take the click (seen when the workbench re-renders the menu under it): click again.
      for (let click = 1; click <= 3; click++) {
        await item.first().click();
        const closed = await menu
          .first()
          .waitFor({ state: 'detached', timeout: 5_000 })
          .then(
            () => true,
            () => false,
          );
        if (closed) return;
      }
      throw new Error(`the context menu entry ${entry} does not take a click`);
    }
  }

  /** Closes any open context menu (Escape, a few times if needed) without failing. */
  private async closeMenus(menu: Locator): Promise<void> {
    for (let tries = 0; tries < 3; tries++) {
      try {
        await menu.first().waitFor({ state: 'detached', timeout: tries === 0 ? 5_000 : 2_000 });
        return;
      } catch {
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** A view's pane body by its header title (e.g. `Tasks`, `Runs`), opening our container first. */
  async ourView(title: string): Promise<Locator> {
    const item = this.activityBarItem();
    if (!(
      (await item.getAttribute('aria-expanded')) === 'true' ||
      (await item.locator('..').getAttribute('class'))?.includes('checked')
    ))
      await item.click();
    const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: title }) });
    await pane.waitFor();
    const header = pane.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return pane.locator('.pane-body');
  }

  /** The text currently shown by the visible terminal (DOM renderer). */
  terminalText(): Promise<string> {
    return this.page.locator('.terminal-wrapper.active .xterm-rows, .terminal .xterm-rows').last().innerText();
  }

  /** Waits until the visible terminal shows text matching `pattern`; returns the match. */
  async waitForTerminal(pattern: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    const rows = this.page.locator('.xterm-rows').last();
    await rows.waitFor();
    for (;;) {
      const text = (await rows.innerText()).replace(/\u00a0/g, ' ');
      const match = pattern.exec(text);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}; it shows:\n${text}`);
      // The terminal has no DOM event per line; wait for the rows to change instead of sleeping.
      // Bounded by the deadline, so a terminal that stays silent fails the wait instead of hanging it.
      await rows.evaluate(
        (element, { previous, waitMs }) =>
          new Promise<void>((resolve) => {
            if (element.textContent !== previous) return resolve();
            const observer = new MutationObserver(() => {
              observer.disconnect();
              resolve();
            });
            observer.observe(element, { childList: true, subtree: true, characterData: true });
            setTimeout(() => {
              observer.disconnect();
              resolve();
            }, waitMs);
          }),
        { previous: await rows.textContent(), waitMs: Math.max(0, deadline - Date.now()) + 10 },
      );
    }
  }

  /** The text of the active editor (spaces come back as U+00A0 from the view lines). */
  async activeEditorText(): Promise<string> {
    const lines = this.page.locator('.editor-group-container.active .monaco-editor .view-line');
    return (await lines.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
