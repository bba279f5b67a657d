import { SetMetadata } from '@nestjs/common';
import type { Role } from '@linewatch/contracts';

export const ROLES_KEY = 'linewatch:roles';

/** The roles a route allows. A route with neither @Roles nor @Public is denied to everyone. */
export const Roles = (...roles: Role[]): ClassDecorator & MethodDecorator => SetMetadata(ROLES_KEY, roles);
