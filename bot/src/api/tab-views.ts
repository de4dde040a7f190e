/**
 * The tab's JSON views of photo requests and approvals (tab-contract.ts), from the core's
 * records, in the caller's language: one sentence per state, warnings and errors localised.
 */
import type { ApprovalView } from '../core/approval/approval-ports';
import type { Locale } from '../core/locale';
import type { PhotoWarning, SquareJpeg } from '../core/photo/pipeline-ports';
import type { PhotoRequest } from '../core/photo/request-ports';
import { t } from '../i18n/i18n';
import { jpegDataUrl } from './tab-http';
import type { ApprovalItemView, PhotoRequestView, WarningJson } from './tab-contract';

/** Warnings with their localised sentences. */
function warningsJson(locale: Locale, warnings: readonly PhotoWarning[]): WarningJson[] {
  return warnings.map((w) => ({ code: w.code, message: t(locale, `warnings.${w.code}`, w.params) }));
}

/** One of the caller's own requests. */
export function photoRequestView(
  locale: Locale,
  request: PhotoRequest,
  extras: {
    preview?: Uint8Array | null;
    approval?: ApprovalView | null;
    avatars?: SquareJpeg[];
    /** While pending: the approvers' card. */
    approverCard?: Record<string, unknown>;
  } = {},
): PhotoRequestView {
  const { preview, approval, avatars, approverCard } = extras;
  const { format, width, height, bytes } = request.sourceInfo;
  return {
    requestId: request.id,
    state: request.state,
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
    expiresAt: (approval?.expiresAt ?? request.expiresAt).toISOString(),
    ...(preview && preview.byteLength > 0 ? { preview: jpegDataUrl(preview) } : {}),
    ...(avatars ? { avatars: avatars.map((a) => ({ side: a.side, src: jpegDataUrl(a.jpeg) })) } : {}),
    warnings: warningsJson(locale, request.warnings),
    source: { format, width, height, bytes },
    ...(approval
      ? {
          approval: {
            approvers: approval.approvers.map((a) => ({ userId: a.userId, displayName: a.displayName, role: a.role })),
            requestedAt: approval.requestedAt.toISOString(),
            expiresAt: approval.expiresAt.toISOString(),
            ...(approval.decidedByName ? { decidedByName: approval.decidedByName } : {}),
            ...(approval.decidedAt ? { decidedAt: approval.decidedAt.toISOString() } : {}),
            ...(approval.reason ? { reason: approval.reason } : {}),
            ...(approverCard && approval.state === 'pending_approval' ? { card: approverCard } : {}),
          },
        }
      : {}),
    ...(request.state === 'failed' && request.errorCode
      ? { error: { code: request.errorCode, message: t(locale, `errors.${request.errorCode}`) } }
      : {}),
    message: t(locale, `tab.request.${request.state}`, {
      names: approval?.approvers.map((a) => a.displayName).join(', ') ?? '',
      name: approval?.decidedByName ?? '',
    }),
  };
}

/** A request as one of its approvers sees it; `viewerId` decides `canDecide`. */
export function approvalItemView(locale: Locale, view: ApprovalView, viewerId: string): ApprovalItemView {
  return {
    requestId: view.requestId,
    state: view.state,
    requester: { id: view.requesterId, displayName: view.requesterName },
    requestedAt: view.requestedAt.toISOString(),
    expiresAt: view.expiresAt.toISOString(),
    ...(view.oldPreview && view.oldPreview.byteLength > 0 ? { oldPhoto: jpegDataUrl(view.oldPreview) } : {}),
    ...(view.newPreview.byteLength > 0 ? { newPhoto: jpegDataUrl(view.newPreview) } : {}),
    warnings: warningsJson(locale, view.warnings),
    ...(view.decidedByName ? { decidedByName: view.decidedByName } : {}),
    ...(view.decidedAt ? { decidedAt: view.decidedAt.toISOString() } : {}),
    ...(view.reason ? { reason: view.reason } : {}),
    canDecide: view.state === 'pending_approval' && view.approvers.some((a) => a.userId === viewerId),
    message: t(locale, `tab.approval.${view.state}`, {
      name: view.state === 'pending_approval' ? view.requesterName : (view.decidedByName ?? ''),
    }),
  };
}
