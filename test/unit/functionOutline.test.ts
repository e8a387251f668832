// The text outline: where functions start, for files no language extension covers. It decides which function
// a CodeLens sits over, so each language's declaration forms are checked, and so are lines that only look
// like declarations (calls, control flow).
import { describe, expect, it } from 'vitest';
import { enclosingFunction, functionStarts } from '../../src/core/code/functionOutline';

const names = (text: string) => functionStarts(text).map((f) => `${f.line}:${f.name}`);

describe('functionStarts', () => {
  it('JavaScript and TypeScript: declarations, generators, arrows, methods', () => {
    const text = [
      'import x from "y";',
      'export default async function handler(req, res) {',
      'function* ids() {',
      'export const place = async (cart: Cart): Promise<number> => {',
      'let total = items => items.length;',
      'var quick = (a) => a;',
      'const value = compute(1);',
      'class Shop {',
      '  async checkout(cart: string[]): Promise<void> {',
      '  render() {',
      '  if (ready) {',
      '  for (const a of b) {',
      '  while (x) {',
      '  switch (y) {',
      '  } catch (e) {',
      '  return (a) {',
      '}',
    ].join('\n');
    expect(names(text)).toEqual(['1:handler', '2:ids', '3:place', '4:total', '5:quick', '8:checkout', '9:render']);
  });

  it('Python, Go and Ruby', () => {
    expect(names(['def pay(card):', '    async def inner():', 'class A:', '    x = call()'].join('\n'))).toEqual(['0:pay', '1:inner']);
    expect(names(['package main', 'func main() {', 'func (s *Server) Handle(w http.ResponseWriter) {', 'go func() {'].join('\n'))).toEqual([
      '1:main',
      '2:Handle',
    ]);
    expect(names(['class Cart', '  def self.build', '  def empty?', '  def add!(item)', 'end'].join('\n'))).toEqual(['1:build', '2:empty?', '3:add!']);
  });

  it('Java, C#, Kotlin and PHP methods, not their calls or fields', () => {
    const java = [
      'public class OrderService {',
      '  private final Repo repo;',
      '  public Order placeOrder(List<Item> items) {',
      '  protected static Map<String, List<Order>> byUser(',
      '      String user) {',
      '  public override async Task<IActionResult> Get(int id)',
      '  suspend fun load(id: Long): Item {',
      '  private void log(String m);',
      '    repo.save(order);',
      '  public String[] names() {',
      '}',
    ].join('\n');
    expect(names(java)).toEqual(['2:placeOrder', '3:byUser', '5:Get', '6:load', '9:names']);
    expect(names(['<?php', 'public static function store($request) {', 'private function helper() {'].join('\n'))).toEqual(['1:store', '2:helper']);
  });

  it('finds nothing in text without functions', () => {
    expect(functionStarts('')).toEqual([]);
    expect(functionStarts('just = "text"\nmore(text)')).toEqual([]);
  });
});

describe('enclosingFunction', () => {
  const starts = [
    { name: 'a', line: 2 },
    { name: 'b', line: 10 },
    { name: 'c', line: 11 },
    { name: 'd', line: 30 },
  ];

  it('is the nearest function starting at or above the line', () => {
    expect(enclosingFunction(starts, 2)?.name).toBe('a');
    expect(enclosingFunction(starts, 9)?.name).toBe('a');
    expect(enclosingFunction(starts, 10)?.name).toBe('b');
    expect(enclosingFunction(starts, 11)?.name).toBe('c');
    expect(enclosingFunction(starts, 29)?.name).toBe('c');
    expect(enclosingFunction(starts, 500)?.name).toBe('d');
  });

  it('is none above the first function or in a file without functions', () => {
    expect(enclosingFunction(starts, 1)).toBeUndefined();
    expect(enclosingFunction([], 5)).toBeUndefined();
    expect(enclosingFunction([{ name: 'only', line: 0 }], 0)?.name).toBe('only');
  });

  it('agrees with a linear scan on every line', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ name: `f${i}`, line: i * 3 + (i % 2) }));
    for (let line = 0; line < 700; line++) {
      const linear = [...many].reverse().find((f) => f.line <= line);
      expect(enclosingFunction(many, line)).toBe(linear);
    }
  });
});
