import { Injectable } from '@nestjs/common';
import {
  Mappings,
  type UomConversion,
  type UomListPage,
  type Xref,
  type XrefKind,
  type XrefListPage,
} from '@stockbridge/mapping';
import { type AuditEntry, AuditLog } from '@stockbridge/messaging';
import type { Sql } from '@stockbridge/persistence';

export type MappingAction =
  | 'mapping.sku.put'
  | 'mapping.sku.delete'
  | 'mapping.location.put'
  | 'mapping.location.delete'
  | 'mapping.uom.put'
  | 'mapping.bundle.put';

const XREF_TARGET: Record<XrefKind, string> = { sku: 'sku-xref', location: 'location-xref' };

/** One backend named by all the items, or null when they span several. */
function singleSystem(items: { system: string }[]): string | null {
  const systems = new Set(items.map((i) => i.system));
  return systems.size === 1 ? [...systems][0] : null;
}

/** Mapping changes on an operator's behalf, each with its audit entry in the same transaction. */
@Injectable()
export class MappingAdmin {
  constructor(
    private readonly mappings: Mappings,
    private readonly audit: AuditLog,
  ) {}

  listXrefs(kind: XrefKind, page: XrefListPage): Promise<Xref[]> {
    return this.mappings.listXrefs(kind, page);
  }

  async putXrefs(kind: XrefKind, items: Xref[], actor: string): Promise<void> {
    await this.mappings.putXrefs(kind, items, (sql) =>
      this.record(sql, actor, `mapping.${kind}.put`, {
        targetType: XREF_TARGET[kind],
        targetId: singleSystem(items),
        details: {
          items: items.map((i) => ({ system: i.system, externalCode: i.externalCode, [kind]: i.code })),
        },
      }),
    );
  }

  /** False when there was no such cross-reference (nothing changed, nothing audited). */
  async deleteXref(kind: XrefKind, system: string, externalCode: string, actor: string): Promise<boolean> {
    const removed = await this.mappings.deleteXref(kind, system, externalCode, (sql, code) =>
      this.record(sql, actor, `mapping.${kind}.delete`, {
        targetType: XREF_TARGET[kind],
        targetId: `${system}/${externalCode}`,
        details: { system, externalCode, [kind]: code },
      }),
    );
    return removed !== null;
  }

  listUoms(page: UomListPage): Promise<UomConversion[]> {
    return this.mappings.listUoms(page);
  }

  async putUoms(items: UomConversion[], actor: string): Promise<void> {
    await this.mappings.putUoms(items, (sql) =>
      this.record(sql, actor, 'mapping.uom.put', {
        targetType: 'uom-conversion',
        targetId: singleSystem(items),
        details: { items },
      }),
    );
  }

  async putBundle(
    bundleSku: string,
    components: { componentSku: string; quantity: number }[],
    actor: string,
  ): Promise<void> {
    await this.mappings.putBundle(bundleSku, components, (sql) =>
      this.record(sql, actor, 'mapping.bundle.put', {
        targetType: 'bundle',
        targetId: bundleSku,
        details: { components },
      }),
    );
  }

  bundle(bundleSku: string) {
    return this.mappings.bundle(bundleSku);
  }

  private record(
    sql: Sql,
    actor: string,
    action: MappingAction,
    entry: Omit<AuditEntry, 'actor' | 'action'>,
  ): Promise<void> {
    return this.audit.write(sql, { actor, action, ...entry });
  }
}
