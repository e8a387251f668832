package org.springframework.samples.petclinic.owner;

// Calls the routes by path: mentions, and a stub controller with the same mapping, in test code.
class OwnerControllerTests {

	static final String SHOW = "/owners/{ownerId}";

	@org.springframework.web.bind.annotation.RestController
	static class StubOwnerController {

		@org.springframework.web.bind.annotation.GetMapping("/owners/{ownerId}")
		public String showOwner() {
			return "stub";
		}

	}

}
