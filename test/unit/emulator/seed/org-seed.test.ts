import { DEMO_APP, DEMO_TENANT_ID, DEMO_USERS, demoSeed } from '../../../../emulator';
import { checkSeed } from '../../../../emulator/seed/org-seed';

describe('demo seed', () => {
  test('is valid and covers every kind of user the product must handle', () => {
    const seed = demoSeed();
    expect(checkSeed(seed).problems).toEqual([]);
    expect(seed.tenantId).toBe(DEMO_TENANT_ID);
    const by = (id: string) => seed.users.find((u) => u.id === id);
    expect(by(DEMO_USERS.alex)).toMatchObject({
      upn: 'alexw@example.com',
      managerId: DEMO_USERS.megan,
      mailbox: 'online',
    });
    expect(by(DEMO_USERS.isaiah)).toMatchObject({
      onPremisesSyncEnabled: true,
      onPremisesThumbnailPhoto: { bytes: expect.any(Number) },
    });
    expect(by(DEMO_USERS.patti)?.roles).toContain('HeadshotAdmin');
    expect(by(DEMO_USERS.lynne)?.mailbox).toBe('none');
    expect(by(DEMO_USERS.jordan)).toMatchObject({ userType: 'Guest', upn: 'jordan_contoso.com#EXT#@example.com' });
    expect(by(DEMO_USERS.henrietta)?.accountEnabled).toBe(false);
    expect(by(DEMO_USERS.grady)?.mailbox).toBe('onPremises');
    expect(seed.users.filter((u) => u.photo !== undefined).map((u) => u.id)).toEqual([DEMO_USERS.megan]);
    expect(seed.apps?.[0]?.clientId).toBe(DEMO_APP.clientId);
  });

  test('checkSeed reports duplicates and dangling managers', () => {
    const seed = demoSeed();
    const first = seed.users[0];
    if (first === undefined) throw new Error('empty seed');
    seed.users.push(
      { ...first, upn: 'other@example.com' },
      { ...first, id: 'x', upn: 'ALEXW@example.com', managerId: 'ghost' },
    );
    expect(checkSeed(seed).problems).toEqual([
      `users: duplicate id ${first.id}`,
      'users: duplicate upn ALEXW@example.com',
      'users: x has unknown managerId ghost',
    ]);
  });
});
