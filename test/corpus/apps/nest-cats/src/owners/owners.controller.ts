import { Controller, Get, Param, Post } from '@nestjs/common';

@Controller({ path: 'owners' })
export class OwnersController {
  @Get(':ownerId/cats')
  catsOf(@Param('ownerId') ownerId: string) {
    return { ownerId, cats: ['Tom'] };
  }

  @Post(':ownerId/adopt')
  adopt(@Param('ownerId') ownerId: string) {
    if (ownerId === '13') throw new Error(`owner ${ownerId} may not adopt`);
    return { ownerId, adopted: true };
  }
}
