export { issueDevelopmentToken, type DevelopmentTokenRequest } from './development-token';
