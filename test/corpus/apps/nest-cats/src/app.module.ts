import { Module } from '@nestjs/common';
import { CatsController } from './cats/cats.controller';
import { OwnersController } from './owners/owners.controller';

@Module({ controllers: [CatsController, OwnersController] })
export class AppModule {}
