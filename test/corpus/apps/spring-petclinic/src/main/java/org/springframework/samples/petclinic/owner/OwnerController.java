package org.springframework.samples.petclinic.owner;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class OwnerController {

	@GetMapping("/owners/new")
	public String initCreationForm() {
		return "createOrUpdateOwnerForm";
	}

	@PostMapping("/owners/new")
	public ResponseEntity<String> processCreationForm(@RequestParam(defaultValue = "") String lastName) {
		return ResponseEntity.status(201).body("created " + lastName);
	}

	@GetMapping("/owners")
	public String processFindForm(@RequestParam(defaultValue = "") String lastName) {
		return "owners " + lastName;
	}

	@GetMapping("/owners/{ownerId}/edit")
	public String initUpdateOwnerForm(@PathVariable("ownerId") int ownerId) {
		return "edit " + ownerId;
	}

	@PostMapping("/owners/{ownerId}/edit")
	public String processUpdateOwnerForm(@PathVariable("ownerId") int ownerId) {
		return "updated " + ownerId;
	}

	@GetMapping("/owners/{ownerId}")
	public String showOwner(@PathVariable("ownerId") int ownerId) {
		if (ownerId == 404) {
			throw new IllegalArgumentException("owner " + ownerId + " not found");
		}
		return "owner " + ownerId;
	}

}
