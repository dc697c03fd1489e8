import { CourtScope } from '../identity/court-scope';
import { Injectable, Module } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import type { NameKind, NameLookup } from '../../workflows';
import { Attachment } from '../attachments/attachment.entity';
import { AuditSubjects, NameRequest, PairingSubject } from '../audit/audit-subjects';
import { User } from '../identity/user.entity';
import { Branch } from '../organisation/branch.entity';
import { Partner } from '../organisation/partner.entity';
import { Pairing } from '../workflow-engine/pairing.entity';

const ids = (wanted: NameRequest, kind: NameKind) => [...(wanted[kind] ?? [])];

/** Names for the ids the audit trail, the revisions and the dossier show: named queries only. */
@Injectable()
export class PairingNames extends AuditSubjects {
  async pairingIdOfCode(m: EntityManager, scope: CourtScope, code: string): Promise<number | null> {
    const found = await m.findOne(Pairing, { select: { id: true }, where: { code, ...scope.where() } });
    return found?.id ?? null;
  }

  async pairings(m: EntityManager, pairingIds: number[]): Promise<Map<number, PairingSubject>> {
    if (!pairingIds.length) return new Map();
    const rows = await m.find(Pairing, { select: { id: true, code: true, title: true }, where: { id: In(pairingIds) } });
    return new Map(rows.map((p) => [p.id, { id: p.id, code: p.code, title: p.title }]));
  }

  async names(m: EntityManager, wanted: NameRequest): Promise<NameLookup> {
    const [users, branches, partners, attachments, pairings] = await Promise.all([
      byId(m, User, ids(wanted, 'user'), (u) => u.displayName, { id: true, displayName: true }),
      byId(m, Branch, ids(wanted, 'branch'), (b) => b.name, { id: true, name: true }),
      byId(m, Partner, ids(wanted, 'partner'), (p) => p.name, { id: true, name: true }),
      byId(m, Attachment, ids(wanted, 'attachment'), (a) => a.filename, { id: true, filename: true }),
      byId(m, Pairing, ids(wanted, 'pairing'), (p) => p.code, { id: true, code: true }),
    ]);
    const tables: Record<NameKind, Map<number, string>> = {
      user: users,
      branch: branches,
      partner: partners,
      attachment: attachments,
      pairing: pairings,
    };
    return (kind, id) => tables[kind].get(Number(id));
  }
}

async function byId<E extends { id: number }>(
  m: EntityManager,
  entity: new () => E,
  wanted: number[],
  name: (row: E) => string,
  select: Record<string, boolean>,
): Promise<Map<number, string>> {
  if (!wanted.length) return new Map();
  const rows = await m.find(entity, { select: select as never, where: { id: In(wanted) } as never });
  return new Map(rows.map((row) => [row.id, name(row)]));
}

@Module({ providers: [PairingNames], exports: [PairingNames] })
export class PairingNamesModule {}
