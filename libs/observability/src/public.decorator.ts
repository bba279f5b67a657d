import { SetMetadata } from '@nestjs/common';

/** Marks a route that needs no role (health, metrics). Every other route is denied unless a role allows it. */
export const IS_PUBLIC = 'linewatch:public';
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC, true);
