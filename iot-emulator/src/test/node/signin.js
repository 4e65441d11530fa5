// Signs in to a Cognito user pool with amazon-cognito-identity-js (USER_SRP_AUTH, the library's default flow),
// answering NEW_PASSWORD_REQUIRED when NEW_PASSWORD is set, and prints one JSON line with the outcome.
// Driven by CognitoJsSrpIT: ENDPOINT, USER_POOL_ID, CLIENT_ID, USERNAME, PASSWORD[, NEW_PASSWORD].
'use strict';
const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require('amazon-cognito-identity-js');

const env = process.env;
const pool = new CognitoUserPool({ UserPoolId: env.USER_POOL_ID, ClientId: env.CLIENT_ID, endpoint: env.ENDPOINT });
const user = new CognitoUser({ Username: env.USERNAME, Pool: pool });
let newPasswordRequired = false;

const report = (outcome) => process.stdout.write(JSON.stringify(outcome) + '\n');

const callbacks = {
  onSuccess(session) {
    // GetUser with the new access token, as apps read the profile after signing in.
    user.getUserAttributes((err, attributes) => {
      report({
        outcome: 'signed-in',
        newPasswordRequired,
        idToken: session.getIdToken().getJwtToken(),
        accessToken: session.getAccessToken().getJwtToken(),
        refreshToken: session.getRefreshToken().getToken(),
        attributes: err ? { error: err.code || err.message } : Object.fromEntries(attributes.map((a) => [a.getName(), a.getValue()])),
      });
    });
  },
  onFailure(err) {
    report({ outcome: 'failed', newPasswordRequired, code: err.code || err.name, message: err.message });
    process.exitCode = 2;
  },
  newPasswordRequired() {
    newPasswordRequired = true;
    if (!env.NEW_PASSWORD) {
      report({ outcome: 'new-password-required' });
      process.exitCode = 3;
      return;
    }
    user.completeNewPasswordChallenge(env.NEW_PASSWORD, {}, callbacks);
  },
};

user.authenticateUser(new AuthenticationDetails({ Username: env.USERNAME, Password: env.PASSWORD }), callbacks);
