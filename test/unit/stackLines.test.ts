// A stack trace as the details pane lists it: every line kept as written, the application frames marked for links.
import { describe, expect, it } from 'vitest';
import { eventStack, stackLines } from '../../src/core/waterfall/stackLines';

describe('stack lines', () => {
  it('keeps every line, and marks the frames of the application (not of libraries or the runtime)', () => {
    const lines = stackLines(
      [
        'Error: card declined',
        '    at chargeCard (/srv/shop/payments.mjs:42:11)',
        '    at Layer.handle (/srv/shop/node_modules/express/lib/router/layer.js:95:5)',
        '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      ].join('\n'),
    );
    expect(lines.map((l) => l.text)).toHaveLength(4);
    expect(lines.map((l) => l.frame && `${l.frame.file}:${l.frame.line}`)).toEqual([undefined, '/srv/shop/payments.mjs:42', undefined, undefined]);
  });

  it('reads Python, Java and Go frames; a Go frame is its place line (the function is the line before)', () => {
    const python = stackLines('Traceback (most recent call last):\n  File "/app/shop/views.py", line 12, in checkout\n    pay()\nValueError: no');
    expect(python.map((l) => l.frame?.line)).toEqual([undefined, 12, undefined, undefined]);
    const java = stackLines('java.lang.IllegalStateException: x\n\tat org.shop.Pay.charge(Pay.java:30)\n\tat java.base/java.lang.Thread.run(Thread.java:833)');
    expect(java.map((l) => l.frame?.file)).toEqual([undefined, 'org/shop/Pay.java', undefined]);
    const go = stackLines('goroutine 1 [running]:\nmain.charge(0x1)\n\t/src/shop/pay.go:17 +0x1d\nmain.main()\n\t/src/shop/main.go:9 +0x25');
    expect(go.map((l) => l.frame && `${l.frame.file}:${l.frame.line}`)).toEqual([
      undefined,
      undefined,
      '/src/shop/pay.go:17',
      undefined,
      '/src/shop/main.go:9',
    ]);
  });

  it('lists at most 400 lines of a runaway stack', () => {
    expect(stackLines('    at f (/app/a.js:1:1)\n'.repeat(5_000))).toHaveLength(400);
  });

  it("finds an event's stack trace among its attributes", () => {
    expect(
      eventStack([
        ['exception.type', 'E'],
        ['exception.stacktrace', 'at x'],
      ]),
    ).toBe('at x');
    expect(eventStack([['exception.type', 'E']])).toBeUndefined();
  });
});
