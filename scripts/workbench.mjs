// Driving the real workbench as a person does: the Command Palette, Quick Open, hovers, and finding the waterfall
// webview. Shared by the UI tests and the end-to-end demo test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const results = [];

/** One named step of a scenario; the first failure ends the scenario. */
export async function step(name, fn) {
  try {
    await fn();
    results.push([name, true]);
    console.log(`  ✓ ${name}`);
  } catch (error) {
    results.push([name, false]);
    console.log(`  ✗ ${name}\n    ${String(error.message).split('\n').slice(0, 6).join('\n    ')}`);
    throw error;
  }
}

export function report(title, failed) {
  const passed = results.filter(([, ok]) => ok).length;
  console.log(`${title}: ${passed} passed, ${results.length - passed + (failed && results.every(([, ok]) => ok) ? 1 : 0)} failed`);
}

/** The extension's own log files of a run, by path. */
function extensionLogs(runDir) {
  return readdirSync(runDir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('Trace Lens.log'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** The extension's own log of a run, whole. */
export function extensionLog(runDir) {
  return extensionLogs(runDir)
    .map((log) => readFileSync(log, 'utf8'))
    .join('\n');
}

/** The extension's own log tells what it did with the last commands. */
export function printExtensionLog(runDir) {
  for (const log of extensionLogs(runDir)) console.log(`    --- ${log}\n${readFileSync(log, 'utf8').split('\n').slice(-80).join('\n')}`);
}

export async function runCommand(page, title) {
  // Keys typed while a webview has focus go to the webview: give the workbench focus first (only then: moving
  // focus off a text editor would change the active editor the command acts on).
  if (await page.evaluate(() => document.activeElement?.tagName === 'IFRAME')) await page.locator('.part.sidebar .composite.title').click();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Click the row whose label is exactly the title ("Close All Editors" must not pick "… in Group"): the list
  // may still re-sort while commands load, and Enter takes whatever is focused.
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}…?$`);
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/**
 * Runs a command from the palette and waits for its effect. Right after start-up the palette can swallow the
 * first pick while the command list is still loading (seen in CI, never in the extension's log): one more try.
 */
export async function runCommandUntil(page, title, effect) {
  await runCommand(page, title);
  try {
    await effect();
  } catch {
    console.log(`    (no effect from "${title}" yet; running it again)`);
    await page.keyboard.press('Escape');
    await runCommand(page, title);
    await effect();
  }
}

/** Moves the mouse onto `target` until `hover` shows: the editor shows hovers on mouse movement only. */
export async function hoverUntil(page, target, hover) {
  for (let attempt = 0; ; attempt++) {
    await page.mouse.move(5, 5);
    await target.hover();
    try {
      await hover.waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** The waterfall webview whose header shows `spanCount` (webview iframes are not in tab order in the DOM). */
export async function waterfallShowing(page, spanCount, timeout = 30_000) {
  return webviewShowing(page, '.span-count', spanCount, timeout);
}

/** The frame of the webview (a waterfall, a report) whose `selector` shows `text`. */
export async function webviewShowing(page, selector, text, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const frames = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < frames; i++) {
      const frame = page.frameLocator(`iframe.webview.ready >> nth=${i}`).frameLocator('#active-frame');
      if (await frame.locator(selector, { hasText: text }).count()) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview shows "${text}" in ${selector} within ${timeout / 1000} s`);
}

export async function quickOpen(page, fileName) {
  // A file written a moment ago may not be in Quick Open's index yet: ask again until it is.
  const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: fileName });
  for (let attempt = 0; ; attempt++) {
    if (await page.evaluate(() => document.activeElement?.tagName === 'IFRAME')) await page.locator('.part.sidebar .composite.title').click();
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(fileName);
    try {
      await row.waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 5) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor({ timeout: 15_000 });
}

/** The texts of the CodeLenses drawn right above the first editor line containing `lineText` (none: []). */
export async function lensesAbove(page, lineText) {
  return page.evaluate((wanted) => {
    // The editor renders spaces as no-break spaces.
    const text = (node) => node.textContent.replace(/\u00a0/g, ' ');
    const target = [...document.querySelectorAll('.view-line')].find((l) => text(l).includes(wanted));
    if (!target) return [];
    const top = target.getBoundingClientRect().top;
    return [...document.querySelectorAll('.codelens-decoration')]
      .filter((l) => l.getBoundingClientRect().top < top && top - l.getBoundingClientRect().top < 40)
      .map(text);
  }, lineText);
}

/** Types into the quick input once it shows `placeholder` (the palette hands over to the next input asynchronously). */
export async function typeIntoQuickInput(page, text, placeholder) {
  const input = page.locator(placeholder ? `.quick-input-widget input[placeholder="${placeholder}"]` : '.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  // Let the widget take the value before a following Enter accepts it.
  await page.waitForTimeout(300);
}

export async function pickInQuickInput(page, text, placeholder) {
  await typeIntoQuickInput(page, text, placeholder);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: text }).waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** The contrast (WCAG) of two colours as [r, g, b]. */
function contrast(a, b) {
  const luminance = ([r, g, b]) =>
    [r, g, b].map((c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/**
 * The colours of a waterfall's error text and of what is behind it, for a failing row and the selected failing
 * row, as the theme renders them.
 */
async function errorTextColours(waterfall) {
  return waterfall.locator('body').evaluate(() => {
    const rgba = (css) => {
      const [r, g, b, a = 1] = css.match(/[\d.]+/g).map(Number);
      return [r, g, b, a];
    };
    // What is behind an element as painted: its ancestors' backgrounds, translucent ones (a selection) blended
    // over what is below them.
    const background = (el) => {
      const layers = [];
      for (let at = el; at; at = at.parentElement) {
        const layer = rgba(getComputedStyle(at).backgroundColor);
        if (layer[3] > 0) layers.push(layer);
        if (layer[3] >= 1) break;
      }
      let below = layers.at(-1)?.[3] >= 1 ? layers.pop() : [255, 255, 255, 1];
      for (const [r, g, b, a] of layers.reverse()) below = [r * a + below[0] * (1 - a), g * a + below[1] * (1 - a), b * a + below[2] * (1 - a), 1];
      return below;
    };
    const colours = (el) => [rgba(getComputedStyle(el).color), background(el)];
    return {
      plain: colours(document.querySelector('.row.error:not(.selected) .span-name')),
      selected: colours(document.querySelector('.row.selected.error .span-name')),
      selectedMark: colours(document.querySelector('.row.selected.error .error-mark')),
    };
  });
}

/** Fails unless a waterfall's error text (and the selected row's error mark) reads at WCAG AA (4.5:1) in the theme shown. */
export async function assertErrorContrast(waterfall, theme) {
  await waterfall.locator('.row.selected.error').waitFor({ timeout: 15_000 });
  const ratios = Object.fromEntries(Object.entries(await errorTextColours(waterfall)).map(([k, [text, behind]]) => [k, contrast(text, behind)]));
  console.log(
    `    error text contrast (${theme}): ${ratios.plain.toFixed(2)}:1, selected ${ratios.selected.toFixed(2)}:1, its mark ${ratios.selectedMark.toFixed(2)}:1`,
  );
  if (!(ratios.plain >= 4.5 && ratios.selected >= 4.5 && ratios.selectedMark >= 4.5))
    throw new Error(`error text contrast in ${theme} ${JSON.stringify(ratios)} is under 4.5:1`);
}

/** Fails unless every map node's name and caption read at WCAG AA (4.5:1) on its box, in the theme shown. */
export async function assertMapTextContrast(map) {
  const pairs = await map.locator('.node').evaluateAll((nodes) =>
    nodes.flatMap((node) => {
      const fill = (el) =>
        getComputedStyle(el)
          .fill.match(/[\d.]+/g)
          .map(Number);
      const box = fill(node.querySelector('.node-box'));
      return [...node.querySelectorAll('text')].map((t) => ({ text: t.textContent, colour: fill(t), box }));
    }),
  );
  const low = pairs.filter((p) => p.text && contrast(p.colour, p.box) < 4.5);
  console.log(
    `    map text contrast: lowest ${Math.min(...pairs.filter((p) => p.text).map((p) => contrast(p.colour, p.box))).toFixed(2)}:1 over ${pairs.length} texts`,
  );
  if (low.length) throw new Error(`map text under 4.5:1 on its box: ${low.map((p) => `"${p.text}" ${contrast(p.colour, p.box).toFixed(2)}:1`).join(', ')}`);
}

/** The active editor is `file`, its cursor at the start of line `line` (what a code link opens). */
export async function editorShows(page, file, line) {
  await page.locator('.tabs-container .tab.active', { hasText: file }).waitFor({ timeout: 15_000 });
  await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col 1\\b`) }).waitFor({ timeout: 15_000 });
}
