export { ackUrl, signAckToken, verifyAckToken, type AckClaims } from './ack-link.token';
export { AuthGuard, type AuthenticatedRequest } from './auth.guard';
export { AUTH_REALM, bearerChallenge, bearerTokenOf } from './bearer.scheme';
export { issueDevelopmentToken, type DevelopmentTokenRequest } from '@linewatch/tokens';
export { AuthenticationError, type Principal } from './principal';
export { ROLES_KEY, Roles } from './roles.decorator';
export { SecurityModule } from './security.module';
export { TokenVerifier } from './token.verifier';
