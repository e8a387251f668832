import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Put } from '@nestjs/common';

const CATS: Record<string, { name: string }> = { '1': { name: 'Tom' }, '2': { name: 'Felix' } };

@Controller('cats')
export class CatsController {
  @Get()
  findAll() {
    return Object.values(CATS);
  }

  @Post()
  @HttpCode(201)
  create(@Body() cat: { name: string }) {
    return cat;
  }

  @Get(':id')
  findOne(@Param('id') id: string) {
    const cat = CATS[id];
    if (!cat) throw new NotFoundException(`cat ${id} not found`);
    return cat;
  }

  @Put(':id')
  update(@Param('id') id: string, @Body() cat: { name: string }) {
    return { id, ...cat };
  }

  @Delete(':id')
  remove(@Param('id') id: string) {
    return { removed: id };
  }
}
