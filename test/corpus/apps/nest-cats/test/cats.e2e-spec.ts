// Calls the routes by path, and a stub controller with the same prefix in test code: never where spans map.
import { Controller, Get } from '@nestjs/common';

@Controller('cats')
export class StubCatsController {
  @Get(':id')
  findOne() {
    return { name: 'stub' };
  }
}

export const paths = ['/api/cats', '/api/cats/1'];
