/**
 * The tenant settings an admin edits in the tab (`GET`/`PUT /api/admin/settings`): the approval
 * policy (its own store, checked by the same rules as `headshot approvals policy set`), the
 * SharePoint legacy push and the reminder texts. A PUT is all or nothing, and audited.
 */
import { REFRESH_MAX_MONTHS, REFRESH_MIN_MONTHS } from '../core/settings/tenant-settings';
import { FACE_RULE_ACTIONS, FACE_RULES, type FaceRule, type FaceRuleAction } from '../core/photo/face-rules';
import type { Request, Server } from 'restify';
import { z } from 'zod';
import type { AuditLog } from '../core/audit/audit-ports';
import type { Clock } from '../core/clock';
import type { ApprovalPolicy, ApprovalPolicyStore } from '../core/approval/approval-ports';
import { APPROVAL_REQUIRED_FOR, checkApprovalPolicy } from '../core/approval/approval-policy-rules';
import { MAX_REMINDER_TEXT, MAX_REMINDER_TITLE, type TenantSettingsStore } from '../core/settings/tenant-settings';
import { route, type AccessControl } from './route-rules';
import { TabError, callerOf, jsonHandler, readJson } from './tab-http';
import type { TenantSettingsView } from './tab-contract';

/** What the settings routes need. */
export interface AdminSettingsDeps {
  settings: TenantSettingsStore;
  policy: ApprovalPolicyStore;
  audit: AuditLog;
  clock: Clock;
  /** How the tenant's SharePoint shows pictures (configuration). */
  sharePointPictures: 'auto' | 'legacy' | 'modern';
  /** Whether Headshot can write to SharePoint at all; the legacy push needs it. */
  sharePointAvailable: boolean;
  /** The deployment checks faces (FACE_CHECK): the face rules have an effect. */
  faceCheckEnabled: boolean;
  /** Display names of the people among these ids (who last changed the settings). */
  names: (ids: readonly string[]) => Promise<ReadonlyMap<string, string>>;
}

/** Blank means "the product's text". */
const words = (max: number) =>
  z
    .string()
    .max(max)
    .nullable()
    .transform((v) => (v === null || v.trim() === '' ? null : v.trim()));

const reminderText = z.object({ title: words(MAX_REMINDER_TITLE), text: words(MAX_REMINDER_TEXT) }).strict();

const updateBody = z
  .object({
    approvalPolicy: z
      .object({
        requiredFor: z.enum(
          APPROVAL_REQUIRED_FOR as [ApprovalPolicy['requiredFor'], ...ApprovalPolicy['requiredFor'][]],
        ),
        groupIds: z.array(z.string().trim().min(1).max(100)).max(100),
        approversGroupId: z.string().trim().max(100).nullable(),
        remindAfterMinutes: z.number(),
        escalateAfterMinutes: z.number(),
        expireAfterMinutes: z.number(),
      })
      .partial()
      .strict()
      .optional(),
    sharePoint: z.object({ legacyPush: z.boolean() }).strict().optional(),
    reminderTexts: z
      .object({ en: reminderText, fi: reminderText, nl: reminderText, pl: reminderText })
      .partial()
      .strict()
      .optional(),
    refreshReminders: z
      .object({
        enabled: z.boolean(),
        afterMonths: z.number().int().min(REFRESH_MIN_MONTHS).max(REFRESH_MAX_MONTHS),
      })
      .strict()
      .optional(),
    faceRules: z
      .object(
        Object.fromEntries(
          FACE_RULES.map((rule) => [rule, z.enum(FACE_RULE_ACTIONS as [FaceRuleAction, ...FaceRuleAction[]])]),
        ) as Record<FaceRule, z.ZodEnum<Record<FaceRuleAction, FaceRuleAction>>>,
      )
      .partial()
      .strict()
      .optional(),
  })
  .strict();

const invalid = (detail: string) =>
  new TabError('input.invalid', 'tab.errors.settings_invalid', detail, { status: 400 });

/** Registers the settings routes. */
export function registerAdminSettingsRoutes(server: Server, deps: AdminSettingsDeps, access: AccessControl): void {
  const rule = (method: 'GET' | 'PUT') =>
    ({ method, path: '/api/admin/settings', auth: 'tab-sso', roles: ['admin'] }) as const;

  route(
    server,
    access,
    rule('GET'),
    jsonHandler(async () => view(deps)),
  );

  route(
    server,
    access,
    rule('PUT'),
    jsonHandler(async (req: Request) => {
      const actorId = callerOf(req).userId;
      const change = await readJson(req, updateBody, () => invalid('settings body does not match the schema'));
      const current = await deps.policy.get();
      const policy = change.approvalPolicy ? mergePolicy(current, change.approvalPolicy) : undefined;
      if (policy) {
        try {
          checkApprovalPolicy(policy);
        } catch (err) {
          throw invalid((err as Error).message);
        }
      }
      if (change.sharePoint?.legacyPush && !deps.sharePointAvailable)
        throw new TabError('input.invalid', 'tab.errors.sharepoint_unavailable', 'SharePoint is not configured', {
          status: 400,
        });
      // Everything is checked: now store it, and say who changed what.
      const now = deps.clock.now();
      if (policy) await deps.policy.set(policy, now, actorId);
      if (change.sharePoint || change.reminderTexts || change.refreshReminders || change.faceRules)
        await deps.settings.update(
          {
            ...(change.sharePoint ? { legacyPush: change.sharePoint.legacyPush } : {}),
            ...(change.reminderTexts ? { reminderTexts: change.reminderTexts } : {}),
            ...(change.refreshReminders ? { refreshReminders: change.refreshReminders } : {}),
            ...(change.faceRules ? { faceRules: change.faceRules } : {}),
          },
          now,
          actorId,
        );
      await deps.audit.append({
        at: now,
        actorId,
        action: 'settings.update',
        outcome: 'ok',
        detail: {
          parts: Object.keys(change).join(','),
          ...(policy
            ? {
                requiredFor: policy.requiredFor,
                groupIds: policy.groupIds.join(','),
                approversGroupId: policy.approversGroupId ?? null,
                remindAfterMinutes: policy.remindAfterMinutes,
                escalateAfterMinutes: policy.escalateAfterMinutes,
                expireAfterMinutes: policy.expireAfterMinutes,
              }
            : {}),
          ...(change.sharePoint ? { legacyPush: change.sharePoint.legacyPush } : {}),
          ...(change.reminderTexts ? { reminderLocales: Object.keys(change.reminderTexts).join(',') } : {}),
          ...(change.refreshReminders
            ? {
                refreshReminders: change.refreshReminders.enabled,
                refreshAfterMonths: change.refreshReminders.afterMonths,
              }
            : {}),
          ...(change.faceRules
            ? {
                faceRules: Object.entries(change.faceRules)
                  .map(([rule, action]) => `${rule}=${action}`)
                  .join(','),
              }
            : {}),
        },
      });
      return view(deps);
    }),
  );
}

function mergePolicy(current: ApprovalPolicy, change: Partial<TenantSettingsView['approvalPolicy']>): ApprovalPolicy {
  const { approversGroupId, ...rest } = change;
  const next: ApprovalPolicy = { ...current, ...rest };
  if (approversGroupId !== undefined) {
    if (approversGroupId) next.approversGroupId = approversGroupId;
    else delete next.approversGroupId;
  }
  delete next.updatedAt;
  delete next.updatedBy;
  return next;
}

async function view(deps: AdminSettingsDeps): Promise<TenantSettingsView> {
  const policy = await deps.policy.get();
  const settings = await deps.settings.get();
  // The newest change of either store is the settings' last change.
  const latest = [
    { at: policy.updatedAt, by: policy.updatedBy },
    { at: settings.updatedAt, by: settings.updatedBy },
  ]
    .filter((c): c is { at: Date; by: string | undefined } => c.at !== undefined)
    .sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  const texts = settings.reminderTexts;
  const by = latest?.by ?? null;
  const byName = by ? (await deps.names([by])).get(by) : undefined;
  return {
    approvalPolicy: {
      requiredFor: policy.requiredFor,
      groupIds: [...policy.groupIds],
      approversGroupId: policy.approversGroupId ?? null,
      remindAfterMinutes: policy.remindAfterMinutes,
      escalateAfterMinutes: policy.escalateAfterMinutes,
      expireAfterMinutes: policy.expireAfterMinutes,
    },
    sharePoint: {
      pictures: deps.sharePointPictures,
      legacyPush: settings.legacyPush,
      available: deps.sharePointAvailable,
    },
    reminderTexts: { en: texts.en, fi: texts.fi, nl: texts.nl, pl: texts.pl },
    refreshReminders: { ...settings.refreshReminders },
    faceRules: { ...settings.faceRules },
    faceCheckEnabled: deps.faceCheckEnabled,
    updatedAt: latest?.at.toISOString() ?? null,
    updatedBy: by,
    ...(byName ? { updatedByName: byName } : {}),
  };
}
