// Spring MVC and JAX-RS declarations in Java and Kotlin, in the forms real controllers use: @RequestMapping with
// method lists and named or array paths, several paths on one handler, annotations with arguments across lines,
// and declarations that are not handlers.
import { describe, expect, it } from 'vitest';
import { lines } from '../support/routeAt';
import { readRoutes, RouteIndex } from '../../src/core/code/routes/routeIndex';

function at(sources: Record<string, string>, route: string, method: string): string {
  const i = RouteIndex.fromFiles(
    readRoutes(Object.keys(sources), (f) => sources[f]),
    ['/ws'],
  );
  const m = i.match(route, method);
  return 'file' in m ? `${m.file.replace(/^.*\//, '')}:${m.line} ${m.function} [${m.how.split(' declaration ')[1]?.split(' ')[0]}]` : m.unresolved;
}

describe('Spring', () => {
  const sources = {
    '/ws/src/main/java/shop/OwnerController.java': lines(
      'package shop;',
      '',
      '@Controller',
      '@RequestMapping(path = "/owners")',
      'public class OwnerController {',
      '    private final OwnerRepository owners;',
      '',
      '    @RequestMapping(value = {"/find", "/search"}, method = {RequestMethod.GET, RequestMethod.HEAD})',
      '    public String find(Model model) { return "find"; }',
      '',
      '    @PostMapping(',
      '        value = "/{ownerId}/edit",',
      '        consumes = "application/json")',
      '    @ResponseBody',
      '    public String',
      '        update(@PathVariable("ownerId") int ownerId) { return ""; }',
      '',
      '    @RequestMapping("/any")',
      '    public String any() { return ""; }',
      '',
      '    @GetMapping',
      '    public String list() { return ""; }',
      '',
      '    @DeleteMapping({"/{id}", "/{id}/"})',
      '    public void remove(@PathVariable int id) {}',
      '',
      '    @RequestMapping(method = RequestMethod.PATCH, path = "/{id}")',
      '    public void patch(@PathVariable int id) {}',
      '}',
    ),
    '/ws/src/main/kotlin/shop/PetController.kt': lines(
      'package shop',
      '@RestController',
      '@RequestMapping("/pets")',
      'class PetController(private val pets: PetRepository) {',
      '    @GetMapping("/{petId}")',
      '    fun show(@PathVariable petId: Int): Pet = pets.find(petId)',
      '}',
    ),
    '/ws/src/main/java/shop/Untouched.java': lines(
      'package shop;',
      '@Service',
      'public class Untouched {',
      '    @Transactional',
      '    public void save() {}',
      '}',
    ),
  };

  it('reads method lists, array and named paths, and a mapping without a path', () => {
    expect(at(sources, '/owners/find', 'GET')).toBe('OwnerController.java:9 OwnerController.find [GET,HEAD]');
    expect(at(sources, '/owners/search', 'HEAD')).toBe('OwnerController.java:9 OwnerController.find [GET,HEAD]');
    expect(at(sources, '/owners/find', 'POST')).toMatch(/declared only for GET, HEAD/);
    expect(at(sources, '/owners/any', 'PUT')).toBe('OwnerController.java:19 OwnerController.any [*]');
    expect(at(sources, '/owners', 'GET')).toBe('OwnerController.java:22 OwnerController.list [GET]');
    expect(at(sources, '/owners/{id}', 'DELETE')).toBe('OwnerController.java:25 OwnerController.remove [DELETE]');
    expect(at(sources, '/owners/{id}', 'PATCH')).toBe('OwnerController.java:28 OwnerController.patch [PATCH]');
  });

  it('places a handler whose annotation and signature span lines on its name', () => {
    expect(at(sources, '/owners/{ownerId}/edit', 'POST')).toBe('OwnerController.java:16 OwnerController.update [POST]');
  });

  it('reads Kotlin controllers, and nothing from classes without mappings', () => {
    expect(at(sources, '/pets/{petId}', 'GET')).toBe('PetController.kt:6 PetController.show [GET]');
    expect(at(sources, '/save', 'GET')).toMatch(/no declaration matches/);
  });
});

describe('JAX-RS', () => {
  it('takes every verb on a method, and a method @Path alone when the class has none', () => {
    const sources = {
      '/ws/src/main/java/shop/Health.java': lines(
        'public class Health {',
        '    @GET',
        '    @HEAD',
        '    @Path("/health")',
        '    public String check() { return "ok"; }',
        '}',
      ),
    };
    expect(at(sources, '/health', 'HEAD')).toBe('Health.java:5 Health.check [GET,HEAD]');
  });
});
