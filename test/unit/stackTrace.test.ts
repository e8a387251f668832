// Stack-trace parsing edge cases per runtime: which frames are the application's, which file a Java frame
// names, and which lines are not frames at all. (Whole traces per language are in codeMapping.test.ts.)
import { describe, expect, it } from 'vitest';
import { firstAppFrame, parseStackTrace } from '../../src/core/code/stackTrace';

const only = (text: string) => parseStackTrace(text).map((f) => ({ file: f.file, line: f.line, function: f.function, library: f.library }));

describe('Java and Kotlin frames', () => {
  it('turn the package into the directory, keep inner classes and lambdas in their file, and allow a missing line', () => {
    expect(only('\tat com.acme.orders.Cart$Item.lambda$total$0(Cart.java:12)')).toEqual([
      { file: 'com/acme/orders/Cart.java', line: 12, function: 'com.acme.orders.Cart$Item.lambda$total$0', library: false },
    ]);
    expect(only('\tat Main.main(Main.java:3)')).toEqual([{ file: 'Main.java', line: 3, function: 'Main.main', library: false }]);
    expect(only('\tat com.acme.Api.get(Api.kt)')).toEqual([{ file: 'com/acme/Api.kt', line: undefined, function: 'com.acme.Api.get', library: false }]);
  });

  it('mark the runtime and test runners as libraries, by module prefix or by package', () => {
    const frames = only(
      [
        '\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1596)',
        '\tat jdk.internal.reflect.Method.invoke(Method.java:43)',
        '\tat org.junit.runners.Runner.run(Runner.java:5)',
        '\tat kotlin.collections.CollectionsKt.first(Collections.kt:9)',
        '\tat com.acme.Shop.run(Shop.java:7)',
      ].join('\n'),
    );
    expect(frames.map((f) => f.library)).toEqual([true, true, true, true, false]);
  });

  it('skip frames without a file, and lines that only look like frames', () => {
    expect(
      only(['\tat com.acme.Native.call(Native Method)', '\tat com.acme.Gen.call(Unknown Source)', '\tat com.acme.X.y(X.javax:1)', '\t... 12 more'].join('\n')),
    ).toEqual([]);
  });
});

describe('.NET frames', () => {
  it('drop the parameter list; System and Microsoft frames are libraries', () => {
    const frames = only(
      [
        '   at Shop.Orders.Place(Cart cart, Int32 n) in /src/Shop/Orders.cs:line 42',
        '   at System.Linq.Enumerable.Select(IEnumerable`1 s) in /_/src/Enumerable.cs:line 5',
        '   at Microsoft.AspNetCore.Mvc.Invoke() in /_/src/Invoker.cs:line 9',
      ].join('\n'),
    );
    expect(frames).toEqual([
      { file: '/src/Shop/Orders.cs', line: 42, function: 'Shop.Orders.Place', library: false },
      { file: '/_/src/Enumerable.cs', line: 5, function: 'System.Linq.Enumerable.Select', library: true },
      { file: '/_/src/Invoker.cs', line: 9, function: 'Microsoft.AspNetCore.Mvc.Invoke', library: true },
    ]);
  });
});

describe('any runtime', () => {
  it('reads Windows line endings', () => {
    expect(
      only('Traceback (most recent call last):\r\n  File "/app/a.py", line 3, in f\r\n  File "/app/b.py", line 9, in g\r\nValueError: x\r\n').map(
        (f) => `${f.file}:${f.line}`,
      ),
    ).toEqual(['/app/b.py:9', '/app/a.py:3']);
  });

  it('has no application frame when every frame is a library', () => {
    expect(
      firstAppFrame(parseStackTrace('    at run (node:internal/process/task_queues:95:5)\n    at x (/app/node_modules/lib/index.js:1:1)')),
    ).toBeUndefined();
    expect(firstAppFrame(parseStackTrace('    at x (/app/node_modules/lib/index.js:1:1)\n    at place (/app/src/orders.js:7:3)'))).toMatchObject({
      file: '/app/src/orders.js',
      line: 7,
      column: 3,
    });
  });
});
