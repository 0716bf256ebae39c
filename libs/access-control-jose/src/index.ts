// Public API of @bnpl/access-control-jose: the TokenVerifier port over `jose` (JWTs from the company's
// identity provider, verified against its JWKS or a static public key). jose is loaded when a verifier is built.
export { JoseTokenVerifier, TOKEN_ALGORITHMS, type JoseTokenVerifierOptions, type TokenAlgorithm } from './lib/jose-token-verifier';
