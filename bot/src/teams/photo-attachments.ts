/** Finds the photo in an incoming message's attachments. */
import type { Attachment } from 'botbuilder';

/** Where to fetch a photo a user sent, and how. */
export interface PhotoAttachment {
  kind: 'teams-file' | 'inline-image';
  url: string;
  name?: string;
  /** Inline images are fetched with the bot's token; file download URLs are pre-authorised. */
  needsBotToken: boolean;
}

const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** The first attachment that carries a file or an image, or null when none does. */
export function findPhotoAttachment(attachments: readonly Attachment[] | undefined): PhotoAttachment | null {
  for (const a of attachments ?? []) {
    if (a.contentType === FILE_DOWNLOAD_INFO) {
      const content = a.content as { downloadUrl?: unknown } | undefined;
      if (typeof content?.downloadUrl === 'string') {
        return { kind: 'teams-file', url: content.downloadUrl, name: a.name, needsBotToken: false };
      }
    } else if (typeof a.contentType === 'string' && a.contentType.toLowerCase().startsWith('image/') && a.contentUrl) {
      return { kind: 'inline-image', url: a.contentUrl, name: a.name, needsBotToken: true };
    }
  }
  return null;
}

/** True when the message carries attachments but none is a file or image (for example a card or a link). */
export function hasOnlyOtherAttachments(attachments: readonly Attachment[] | undefined): boolean {
  const list = (attachments ?? []).filter((a) => a.contentType !== 'text/html');
  return list.length > 0 && findPhotoAttachment(list) === null;
}
