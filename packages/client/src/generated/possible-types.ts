
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "LoginResult": [
      "AuthPayload",
      "TwoFactorChallenge"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "LoginResult": [
      "AuthPayload",
      "TwoFactorChallenge"
    ]
  }
};
      export default result;
    