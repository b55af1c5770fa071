export { type Answer, classifyAnswer } from './answer';
export {
  isRoundName,
  ROUNDS,
  type RoundName,
  subjectOf,
  type TotpDeployment,
  type TotpSubject,
} from './context';
export { type CreateResponse, createAuthChallenge } from './create';
export { type DefineResponse, defineAuthChallenge } from './define';
export { type DefineDecision, decideNextChallenge } from './define-decision';
export { type TotpSettings, totpSettingsSchema } from './settings';
export { type VerifyResponse, verifyAuthChallengeResponse } from './verify';
