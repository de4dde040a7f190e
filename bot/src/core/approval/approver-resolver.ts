/**
 * Who must approve a user's new photo, by the admin's policy and the directory:
 * the manager (Graph `/users/{id}/manager`); without one, the approvers group; on
 * escalation, the skip-level manager, else the approvers group.
 */
import type { Directory, DirectoryUser } from '../directory/directory-ports';
import type { ApprovalPolicy, ApprovalPolicyStore, Approver, ApproverRole, GroupDirectory } from './approval-ports';

/** Whether a user's photo needs approval, and from whom. */
export type ApprovalRequirement =
  | { required: false }
  | {
      required: true;
      approvers: Approver[];
      /** What to call the approvers in a sentence: the manager's name, or the approvers group's. */
      approverLabel: string;
      policy: ApprovalPolicy;
    };

/** Finds approvers through the directory ports. */
export class ApproverResolver {
  constructor(
    private readonly directory: Directory,
    private readonly groups: GroupDirectory,
    private readonly policies: ApprovalPolicyStore,
  ) {}

  /**
   * The requirement for `userId` under the current policy; `approvers` may be empty when nobody can approve.
   * `force`: the photo guidelines ask for approval of this photo, whatever the policy says about who needs it.
   */
  async requirementFor(userId: string, at: Date, options: { force?: boolean } = {}): Promise<ApprovalRequirement> {
    const policy = await this.policies.get();
    // Approvers and timings always come from the policy; with `force`, not who needs approval.
    if (!options.force && !(await this.policyAsks(policy, userId))) return { required: false };
    const manager = usable(await this.directory.getManager(userId), userId);
    if (manager)
      return {
        required: true,
        approvers: [approver(manager, 'manager', at)],
        approverLabel: manager.displayName,
        policy: policy,
      };
    const group = await this.approversGroup(policy, userId, [], at);
    return { required: true, approvers: group.approvers, approverLabel: group.label ?? '', policy: policy };
  }

  /** Whether the policy asks for approval of `userId`'s photos. */
  private async policyAsks(policy: ApprovalPolicy, userId: string): Promise<boolean> {
    if (policy.requiredFor === 'nobody') return false;
    if (policy.requiredFor === 'everyone') return true;
    const member = new Set(await this.groups.memberOf(userId));
    return policy.groupIds.some((g) => member.has(g));
  }

  /** Who to add when nobody decided in time: the skip-level manager, else the approvers group (minus who already may decide). */
  async escalationFor(requesterId: string, current: readonly Approver[], at: Date): Promise<Approver[]> {
    const known = new Set([requesterId, ...current.map((a) => a.userId)]);
    const manager = current.find((a) => a.role === 'manager');
    if (manager) {
      const skip = usable(await this.directory.getManager(manager.userId), requesterId);
      if (skip && !known.has(skip.id)) return [approver(skip, 'skip_level', at)];
    }
    return (await this.approversGroup(await this.policies.get(), requesterId, [...known], at)).approvers;
  }

  private async approversGroup(
    policy: ApprovalPolicy,
    requesterId: string,
    exclude: string[],
    at: Date,
  ): Promise<{ approvers: Approver[]; label?: string }> {
    if (!policy.approversGroupId) return { approvers: [] };
    const skip = new Set([requesterId, ...exclude]);
    const [members, label] = await Promise.all([
      this.groups.members(policy.approversGroupId),
      this.groups.displayName(policy.approversGroupId),
    ]);
    const approvers = members
      .filter((m) => m.accountEnabled && !skip.has(m.id))
      // refresh.userIds holds at most 60 ids, and a card for a whole department helps nobody.
      .slice(0, MAX_GROUP_APPROVERS)
      .map((m) => approver(m, 'approvers_group', at));
    return { approvers, label: label ?? undefined };
  }
}

/** Most approvers taken from a group (Teams refreshes a card for at most 60 users, the requester among them). */
const MAX_GROUP_APPROVERS = 25;

/** A manager who can act: enabled, and not the requester themselves. */
function usable(user: DirectoryUser | null, requesterId: string): DirectoryUser | null {
  return user && user.accountEnabled && user.id !== requesterId ? user : null;
}

function approver(user: DirectoryUser, role: ApproverRole, at: Date): Approver {
  return {
    userId: user.id,
    displayName: user.displayName,
    preferredLanguage: user.preferredLanguage,
    role,
    addedAt: at,
  };
}
