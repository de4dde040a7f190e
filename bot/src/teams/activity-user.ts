/** Who sent an activity, in the product's terms. */
import type { Activity } from 'botbuilder';
import { AppError } from '../core/errors';
import type { StoredConversation } from '../core/conversations/conversation-ports';
import type { Locale } from '../core/locale';
import { resolveLocale } from '../i18n/i18n';
import { TurnContext } from 'botbuilder';

/** The Microsoft 365 user behind an activity. */
export interface ActivityUser {
  userId: string;
  tenantId: string;
  locale: Locale;
}

/** Reads the sender's Entra object id, tenant and locale; refuses activities without them. */
export function activityUser(activity: Partial<Activity>, fallbackLocale?: Locale): ActivityUser {
  const userId = activity.from?.aadObjectId;
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  const tenantId = activity.conversation?.tenantId ?? channelData?.tenant?.id;
  if (!userId || !tenantId) throw new AppError('auth.unauthenticated', 'activity has no aadObjectId or tenant');
  const locale = activity.locale ? resolveLocale(activity.locale) : (fallbackLocale ?? 'en');
  return { userId, tenantId, locale };
}

/** The conversation of an activity, ready for the ConversationStore. */
export function conversationOf(activity: Activity, user: ActivityUser, now: Date): StoredConversation {
  const reference = TurnContext.getConversationReference(activity);
  return {
    userId: user.userId,
    tenantId: user.tenantId,
    conversationId: activity.conversation.id,
    serviceUrl: activity.serviceUrl,
    locale: user.locale,
    reference: JSON.stringify(reference),
    updatedAt: now,
  };
}
