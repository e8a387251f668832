"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
require("reflect-metadata");
const core_1 = require("@nestjs/core");
const app_module_1 = require("./app.module");
async function bootstrap() {
    const app = await core_1.NestFactory.create(app_module_1.AppModule, { logger: ['error'] });
    app.setGlobalPrefix('api');
    await app.listen(Number(process.env.PORT), '127.0.0.1');
}
bootstrap();
//# sourceMappingURL=main.js.map