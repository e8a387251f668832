package org.springframework.samples.petclinic.owner;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/owners/{ownerId}")
class PetController {

	@GetMapping("/pets/new")
	public String initCreationForm(@PathVariable("ownerId") int ownerId) {
		return "new pet for " + ownerId;
	}

	@PostMapping("/pets/new")
	public String processCreationForm(@PathVariable("ownerId") int ownerId) {
		return "pet created for " + ownerId;
	}

	@GetMapping("/pets/{petId}/edit")
	public String initUpdateForm(@PathVariable("ownerId") int ownerId, @PathVariable("petId") int petId) {
		return "edit pet " + petId;
	}

	@PostMapping("/pets/{petId}/edit")
	public String processUpdateForm(@PathVariable("ownerId") int ownerId, @PathVariable("petId") int petId) {
		return "pet " + petId + " updated";
	}

}
