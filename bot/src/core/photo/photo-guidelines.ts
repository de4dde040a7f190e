/**
 * The admin's photo guidelines applied to a photo's warnings (face-rules.ts has the rules, the tenant
 * settings say what each does): `off` drops the warning, `warn` keeps it, `approval` keeps it and marks
 * it so that the request goes to approval even when approvals are otherwise off, `refuse` refuses the
 * photo with the rule's reason. A check that could not run (`face_check_unavailable`) is a note only:
 * it never refuses a photo and never sends one to approval.
 */
import { AppError } from '../errors';
import { isFaceRule, type FaceRule } from './face-rules';
import type { PhotoWarning } from './pipeline-ports';
import { defaultFaceRules, type FaceRulePolicy } from '../settings/tenant-settings';

/** The warnings as the policy wants them shown; throws photo.guideline (HTTP 422) for a rule set to refuse. */
export function applyGuidelines(warnings: readonly PhotoWarning[], policy: FaceRulePolicy): PhotoWarning[] {
  const kept: PhotoWarning[] = [];
  for (const warning of warnings) {
    if (!isFaceRule(warning.code)) {
      kept.push(warning);
      continue;
    }
    const action = policy[warning.code] ?? 'warn';
    if (action === 'off') continue;
    if (action === 'refuse') {
      throw new AppError('photo.guideline', `the photo guidelines refuse photos with ${warning.code}`, {
        status: 422,
        messageKey: `guidelines.refused.${warning.code}`,
        params: { rule: warning.code, ...warning.params },
      });
    }
    kept.push(action === 'approval' ? { ...warning, needsApproval: true } : warning);
  }
  return kept;
}

/** The face rules among `warnings` that ask for approval (marked by applyGuidelines). */
export function rulesNeedingApproval(warnings: readonly PhotoWarning[]): FaceRule[] {
  return warnings.filter((w) => w.needsApproval && isFaceRule(w.code)).map((w) => w.code as FaceRule);
}

/** The guidelines now; settings that cannot be read leave every rule a warning (nothing refused on a read error). */
export async function currentGuidelines(read?: () => Promise<FaceRulePolicy>): Promise<FaceRulePolicy> {
  if (!read) return defaultFaceRules();
  try {
    return await read();
  } catch {
    return defaultFaceRules();
  }
}
