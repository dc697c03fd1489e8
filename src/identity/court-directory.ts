import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Court } from './court.entity';

export type CourtRef = Pick<Court, 'id' | 'code' | 'name' | 'parentCourtId'>;

/**
 * The courts by id. A court's code and place in the tree never change once it exists (only its name does),
 * so what is cached stays true; a court another process created is read on first sight. The hot write path
 * asks it for the code of the pairing's court without a query.
 */
@Injectable()
export class CourtDirectory {
  private readonly byId = new Map<number, CourtRef>();

  async get(m: EntityManager, id: number): Promise<CourtRef | null> {
    const known = this.byId.get(id);
    if (known) return known;
    const court = await m.findOne(Court, { where: { id }, select: { id: true, code: true, name: true, parentCourtId: true } });
    if (court) this.byId.set(id, { id: court.id, code: court.code, name: court.name, parentCourtId: court.parentCourtId });
    return court;
  }

  async code(m: EntityManager, id: number): Promise<string> {
    const court = await this.get(m, id);
    if (!court) throw new Error(`court ${id} does not exist`);
    return court.code;
  }

  /** Every court, read now (names may have changed in another process). */
  async all(m: EntityManager): Promise<CourtRef[]> {
    const rows = await m.find(Court, { select: { id: true, code: true, name: true, parentCourtId: true }, order: { id: 'ASC' } });
    for (const row of rows) this.byId.set(row.id, row);
    return rows;
  }

  /** This court and every court below it, recursively, the court itself first. */
  async subtree(m: EntityManager, rootId: number): Promise<CourtRef[]> {
    const courts = await this.all(m);
    const children = new Map<number, CourtRef[]>();
    for (const court of courts) {
      if (court.parentCourtId === null) continue;
      children.set(court.parentCourtId, [...(children.get(court.parentCourtId) ?? []), court]);
    }
    const root = courts.find((c) => c.id === rootId);
    if (!root) return [];
    const out: CourtRef[] = [];
    const walk = (court: CourtRef) => {
      if (out.includes(court)) return;
      out.push(court);
      for (const child of children.get(court.id) ?? []) walk(child);
    };
    walk(root);
    return out;
  }

  remember(court: CourtRef): void {
    this.byId.set(court.id, { id: court.id, code: court.code, name: court.name, parentCourtId: court.parentCourtId });
  }
}
