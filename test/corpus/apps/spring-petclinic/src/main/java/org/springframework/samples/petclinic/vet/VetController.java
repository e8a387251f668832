package org.springframework.samples.petclinic.vet;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class VetController {

	@GetMapping({ "/vets", "/vets.html" })
	public List<String> showVetList() {
		return List.of("James Carter", "Helen Leary");
	}

}
