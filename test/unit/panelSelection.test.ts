import { describe, expect, it } from 'vitest';
import { PanelSelection } from '../../src/core/waterfall/panelSelection';

describe('a waterfall panel’s selection', () => {
  it('comes back on the span its page last selected, else the one it opened on', () => {
    const selection = new PanelSelection();
    expect(selection.toRestore('opened')).toBe('opened');
    selection.confirm(selection.asked(), 'a');
    selection.confirm(selection.asked(), 'b');
    expect(selection.selected).toBe('b');
    expect(selection.toRestore('opened')).toBe('b');
  });

  it('keeps a revealed span until the page selects it, and the user’s next selection after that', () => {
    const selection = new PanelSelection();
    selection.confirm(selection.asked(), 'a');
    selection.reveal('r');
    expect(selection.toRestore()).toBe('r');
    expect(selection.selected).toBe('a');
    selection.confirm(selection.asked(), 'r');
    expect(selection.selected).toBe('r');
    selection.confirm(selection.asked(), 'c');
    expect(selection.toRestore()).toBe('c');
  });

  it('lets no selection asked before a reveal replace it, though its details are read after', () => {
    // As a host test once saw: the page asked for span a's details, a reveal of r came, a's details were read,
    // and the page then loaded again (its panel hidden and shown): it came back on a, never on r.
    const selection = new PanelSelection();
    const askedForA = selection.asked();
    selection.reveal('r');
    selection.confirm(askedForA, 'a');
    expect(selection.toRestore()).toBe('r');
    expect(selection.selected).toBeUndefined();
    selection.confirm(selection.asked(), 'r');
    expect(selection.selected).toBe('r');
  });
});
