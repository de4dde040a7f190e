/** Conversations with people in Teams, kept for proactive messages, and installing the app to open one. */
import type { Locale } from '../locale';

/** A stored conversation with a user, opaque to the core (serialised by the Teams edge). */
export interface StoredConversation {
  userId: string;
  tenantId: string;
  conversationId: string;
  serviceUrl: string;
  locale: Locale;
  /** The channel's reference object, serialised. */
  reference: string;
  updatedAt: Date;
}

/** Conversation references for proactive messages. */
export interface ConversationStore {
  /** Inserts or replaces the user's personal conversation. */
  save(conversation: StoredConversation): Promise<void>;
  /** The user's personal conversation, or null. */
  get(userId: string): Promise<StoredConversation | null>;
  /** Drops the user's conversation if it is still `conversationId` (Teams said it is gone); true when dropped. */
  forget(userId: string, conversationId: string): Promise<boolean>;
}

/** Installs Headshot for a user (Graph `teamwork/installedApps`), so that the bot may open a chat with them. */
export interface AppInstaller {
  /** Installs the app for the user; succeeds when it was installed already. Throws AppError (m365.*). */
  install(userId: string): Promise<void>;
}
