/**
 * Device commands: queue a remote unlock (or lock, position request, vendor command)
 * for a device of a movement, list and read them with their results, cancel one not yet sent.
 * Queueing needs `devices.command` and the movement in the caller's scope; the rule's refusals
 * answer 403 (not_destination_administration), 409 (movement_not_arrived, office_area_unsound,
 * position_unknown, position_stale, outside_destination_office) or 422 (device_not_on_movement,
 * command_not_supported) with those codes.
 */
import { z } from 'zod';
import { commandStatuses, commandTypes, type DeviceCommand } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import { commandParamsProblem } from '../../commands/command-frames';
import { problem } from '../problem';
import type { Api } from '../route';
import { idParams, plainPageQuery } from '../schemas';
import { pageOf } from '../views';

const ts = z.string().describe('RFC 3339 UTC time');
const paramsSchema = z
  .object({
    password: z.string().max(64).optional().describe("jt600 unlock: the lock's six-character static password (never shown back)"),
    text: z.string().max(200).optional().describe('custom (jt600, eseal): the vendor command text'),
    dataType: z.number().int().min(0).max(255).optional().describe('custom (jt808): the transparent data type byte'),
    data: z.string().max(2044).optional().describe('custom (jt808): the transparent data as hex'),
  })
  .strict();

const createCommandSchema = z.object({
  type: z.enum(commandTypes),
  movement: z.string().min(1).max(128).describe('the movement the command is given for; the device must be listed on it'),
  reason: z.string().trim().min(3).max(500).describe('why: kept with the command and in the audit trail'),
  params: paramsSchema.default({}),
});

const commandOut = z.object({
  id: z.string(),
  device: z.string(),
  movement: z.string(),
  type: z.enum(commandTypes),
  params: z.record(z.string(), z.unknown()),
  status: z.enum(commandStatuses),
  requestedBy: z.string(),
  reason: z.string(),
  createdAt: ts,
  expiresAt: ts,
  sentAt: ts.nullable(),
  completedAt: ts.nullable(),
  result: z
    .object({ detail: z.string(), data: z.record(z.string(), z.unknown()) })
    .nullable()
    .describe("the device's answer, or why there is none"),
});

/** A command as the API shows it: a lock password is never shown back. */
const commandView = (c: DeviceCommand) => ({ ...c, params: 'password' in c.params ? { ...c.params, password: '******' } : c.params });

export function commandRoutes(api: Api, ctx: AppContext): void {
  const { commands } = ctx;

  api.route({
    method: 'POST',
    url: '/api/v1/devices/:id/commands',
    operationId: 'queueDeviceCommand',
    tag: 'commands',
    auth: 'user',
    permission: 'devices.command',
    summary:
      'Queue a command (remote unlock only by the administration of the office of destination, for a movement arrived there, with a fresh position of the device inside the office); delivered when the device next connects',
    params: idParams,
    body: createCommandSchema,
    responses: {
      201: { description: 'Queued', schema: commandOut },
      403: {
        description: "not_destination_administration: only the customs administration of the office of destination's country unlocks",
      },
      409: {
        description:
          'movement_not_arrived, office_area_unsound, position_unknown, position_stale (older than SEALWATCH_UNLOCK_POSITION_MAX_AGE_S) or outside_destination_office',
      },
      422: { description: 'device_not_on_movement, command_not_supported, or parameters the protocol needs are missing' },
    },
    handler: async ({ params, body, principal, reply }) => {
      const device = await ctx.scopes.device(principal, params.id);
      const wrong = commandParamsProblem(device.protocol, body);
      if (wrong)
        return reply
          .code(422)
          .type('application/problem+json')
          .send(problem(422, 'validation_failed', wrong));
      const c = await commands.request(principal, params.id, body);
      reply.code(201);
      return commandView(c);
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/devices/:id/commands',
    operationId: 'listDeviceCommands',
    tag: 'commands',
    auth: 'user',
    permission: 'movements.read',
    summary: "A device's commands, newest first, with their status and results (those of movements you may see)",
    params: idParams,
    query: plainPageQuery,
    responses: { 200: { description: 'A page of commands', schema: pageOf(commandOut) } },
    handler: async ({ params, query, principal }) => {
      const page = await commands.list(principal, params.id, query);
      return { items: page.items.map(commandView), nextCursor: page.nextCursor };
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/commands/:id',
    operationId: 'getCommand',
    tag: 'commands',
    auth: 'user',
    permission: 'movements.read',
    summary: "One command with its status and the device's answer",
    params: idParams,
    responses: { 200: { description: 'The command', schema: commandOut } },
    handler: async ({ params, principal }) => commandView(await commands.get(principal, params.id)),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/commands/:id/cancel',
    operationId: 'cancelCommand',
    tag: 'commands',
    auth: 'user',
    permission: 'devices.command',
    summary: 'Withdraw a command not sent yet (409 invalid_transition once sent); only the organisation that queued it, or the platform',
    params: idParams,
    responses: {
      200: { description: 'The cancelled command', schema: commandOut },
      403: { description: 'not_command_requester: another organisation queued it' },
    },
    handler: async ({ params, principal }) => commandView(await commands.cancel(principal, params.id)),
  });
}
