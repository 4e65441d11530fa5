// Prints the SRP test vector that SrpTest checks the emulator's server side against, computed with
// amazon-cognito-identity-js's own AuthenticationHelper (the client side of Cognito's SRP), so the Java test does
// not compare the emulator's math with itself. Run: npm ci && node srp-vector.js
'use strict';
const { Buffer } = require('buffer');
const { Sha256 } = require('@aws-crypto/sha256-js');
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper').default;
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger').default;

const poolName = 'Vector1'; // the part of the pool id after '_', as CognitoUserPool.getUserPoolName()
const username = 'alice';
const password = 'Correct-horse-1';
const saltHex = '0f3c9a1e5b7d2c4a6e8f0123456789ab';
const smallA = new BigInteger('a1b2c3d4e5f60718293a4b5c6d7e8f90' + '1'.repeat(224), 16);
const smallB = new BigInteger('b1b2c3d4e5f60718293a4b5c6d7e8f90' + '2'.repeat(224), 16);
const secretBlock = Buffer.from('fleetprov secret block for the vector').toString('base64');
const timestamp = 'Thu Dec 3 06:04:16 UTC 2026';

const modPow = (base, exp, mod) => {
  let out;
  base.modPow(exp, mod, (err, r) => { if (err) throw err; out = r; });
  return out;
};

const helper = new AuthenticationHelper(poolName);
helper.smallAValue = smallA;
helper.largeAValue = undefined;
helper.getLargeAValue(() => {});
const salt = new BigInteger(saltHex, 16);
const x = new BigInteger(helper.hexHash(helper.padHex(salt) + helper.hash(`${poolName}${username}:${password}`)), 16);
const v = modPow(helper.g, x, helper.N);
const B = helper.k.multiply(v).add(modPow(helper.g, smallB, helper.N)).mod(helper.N);

helper.getPasswordAuthenticationKey(username, password, B, salt, (err, hkdf) => {
  if (err) throw err;
  const mac = new Sha256(hkdf);
  mac.update(Buffer.concat([
    Buffer.from(poolName, 'utf8'),
    Buffer.from(username, 'utf8'),
    Buffer.from(secretBlock, 'base64'),
    Buffer.from(timestamp, 'utf8'),
  ]));
  console.log(JSON.stringify({
    poolName, username, password, salt: saltHex, secretBlock, timestamp,
    k: helper.k.toString(16),
    smallB: smallB.toString(16),
    verifier: v.toString(16),
    A: helper.largeAValue.toString(16),
    B: B.toString(16),
    hkdf: Buffer.from(hkdf).toString('hex'),
    signature: Buffer.from(mac.digestSync()).toString('base64'),
  }, null, 2));
});
