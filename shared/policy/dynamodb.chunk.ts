/**
 * Pre Sign-up's DynamoDB client for the velocity counters, built as a lazy
 * chunk (`handler.dynamodb.js` beside the bundle; infra/esbuild-plugins.cjs):
 * loaded only when a sign-up limit is configured, which the shipped default
 * is not. Only package re-exports belong here.
 */
export { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
