import { Column, Entity, PrimaryColumn } from 'typeorm';
import { entityFields, everyOneOf, oneOf, UnexpectedValueError } from './entity-fields.js';

const COLOURS = ['RED', 'GREEN'] as const;
type Colour = (typeof COLOURS)[number];

@Entity('paint_pots')
class PaintPotEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text', transformer: oneOf(COLOURS, 'paint_pots.colour') })
  colour: Colour;

  @Column({ type: 'text', array: true, transformer: everyOneOf(COLOURS, 'paint_pots.mixed_from') })
  mixedFrom: Colour[];

  @Column({ type: 'int', name: 'litres_left' })
  volume: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

describe('entity fields', () => {
  const pot = entityFields(PaintPotEntity, ['id', 'colour', 'mixedFrom', 'volume', 'createdAt']);

  it('selects columns by the naming strategy, aliased to their properties', () => {
    expect(pot.sql('p')).toBe('p.id, p.colour, p.mixed_from AS "mixedFrom", p.litres_left AS "volume", p.created_at AS "createdAt"');
  });

  it('reads a row it selected, and nothing else', () => {
    const createdAt = new Date();
    expect(pot.read({ id: 'a', colour: 'RED', mixedFrom: ['GREEN'], volume: 2, createdAt, extra: 1 })).toEqual({
      id: 'a',
      colour: 'RED',
      mixedFrom: ['GREEN'],
      volume: 2,
      createdAt,
    });
  });

  it('refuses a closed-set value outside its list instead of passing it on', () => {
    expect(() => pot.read({ id: 'a', colour: 'BLUE', mixedFrom: [], volume: 1, createdAt: new Date() })).toThrow(
      new UnexpectedValueError('paint_pots.colour', 'BLUE'),
    );
    expect(() => pot.read({ id: 'a', colour: 'RED', mixedFrom: ['RED', 'TEAL'], volume: 1, createdAt: new Date() })).toThrow(
      UnexpectedValueError,
    );
  });

  it('renames properties under a prefix for rows that join others', () => {
    const colour = pot.prefixed('pot');
    expect(colour.sql('p')).toBe(
      'p.id AS "potId", p.colour AS "potColour", p.mixed_from AS "potMixedFrom", p.litres_left AS "potVolume", p.created_at AS "potCreatedAt"',
    );
    expect(() => colour.read({ potId: 'a', potColour: 'BLUE', potMixedFrom: [], potVolume: 1, potCreatedAt: new Date() })).toThrow(
      UnexpectedValueError,
    );
    expect(colour.read({ potId: 'a', potColour: 'RED', potMixedFrom: [], potVolume: 1, potCreatedAt: null }).potColour).toBe('RED');
  });

  it('gives a repository the same selection', () => {
    expect(pot.select).toEqual({ id: true, colour: true, mixedFrom: true, volume: true, createdAt: true });
  });

  it('refuses, when it is declared, a property that is not a column', () => {
    class NotAnEntity {
      id: string;
    }
    expect(() => entityFields(NotAnEntity, ['id'])).toThrow('NotAnEntity.id is not a column');
  });
});
