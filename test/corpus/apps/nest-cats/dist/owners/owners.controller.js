"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.OwnersController = void 0;
const common_1 = require("@nestjs/common");
let OwnersController = class OwnersController {
    catsOf(ownerId) {
        return { ownerId, cats: ['Tom'] };
    }
    adopt(ownerId) {
        if (ownerId === '13')
            throw new Error(`owner ${ownerId} may not adopt`);
        return { ownerId, adopted: true };
    }
};
exports.OwnersController = OwnersController;
__decorate([
    (0, common_1.Get)(':ownerId/cats'),
    __param(0, (0, common_1.Param)('ownerId')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", void 0)
], OwnersController.prototype, "catsOf", null);
__decorate([
    (0, common_1.Post)(':ownerId/adopt'),
    __param(0, (0, common_1.Param)('ownerId')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", void 0)
], OwnersController.prototype, "adopt", null);
exports.OwnersController = OwnersController = __decorate([
    (0, common_1.Controller)({ path: 'owners' })
], OwnersController);
//# sourceMappingURL=owners.controller.js.map