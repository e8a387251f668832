package org.springframework.samples.petclinic.owner;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/owners/{ownerId}/pets/{petId}")
class VisitController {

	@RequestMapping(value = "/visits/new", method = RequestMethod.GET)
	public String initNewVisitForm(@PathVariable("petId") int petId) {
		return "new visit for pet " + petId;
	}

	@RequestMapping(value = "/visits/new", method = RequestMethod.POST)
	public String processNewVisitForm(@PathVariable("petId") int petId) {
		return "visit booked for pet " + petId;
	}

}
