/** The project's program (`pulumi up` in this folder): the seed deployment, configured per stack. */
import { seedStack } from "./seedStack";

const outputs = seedStack();

export const groupId = outputs.groupId;
export const storageTopics = outputs.storageTopics;
export const serviceUrl = outputs.serviceUrl;
export const connectorStates = outputs.connectorStates;
