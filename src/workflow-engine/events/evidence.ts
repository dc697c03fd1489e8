import type { AttachmentFacts, EvidenceRef, PairingEventType } from '../../../workflows';
import type { EventContext } from './event-handler';

/**
 * Evidence an event names must be an upload of the sender's not yet used elsewhere, or one already on this
 * pairing (the rule ATTACHMENT_NOT_FOUND judges `unusable`).
 */
export async function evidenceFacts<T extends PairingEventType>(
  context: EventContext<T>,
  ids: number[] | undefined,
): Promise<{ attachments: AttachmentFacts }> {
  const wanted = [...new Set(ids ?? [])];
  if (!wanted.length) return { attachments: { unusable: [], usable: [] } };
  const rows = await context.repository.attachmentsById(context.m, wanted);
  const usable = rows.filter((a) => a.pairingId === context.pairing.id || (a.pairingId === null && a.uploadedBy === context.actorId));
  return {
    attachments: {
      unusable: wanted.filter((id) => !usable.some((a) => a.id === id)),
      usable: usable.map(({ id, filename, sha256 }) => ({ id, filename, sha256 })),
    },
  };
}

/**
 * Links the evidence to the pairing and says how the audit event keeps it: the ids, and from SPEC §13 on
 * each file's name and sha256, so the chain itself vouches for every file.
 */
export async function linkEvidence<T extends PairingEventType>(
  context: EventContext<T>,
  facts: { attachments: AttachmentFacts } | undefined,
): Promise<{ attachmentIds: number[]; attachments?: EvidenceRef[] }> {
  const usable = facts?.attachments.usable ?? [];
  if (!usable.length) return { attachmentIds: [] };
  const attachmentIds = usable.map((a) => a.id);
  await context.repository.linkAttachments(context.m, context.pairing.id, attachmentIds);
  return { attachmentIds, attachments: usable };
}
