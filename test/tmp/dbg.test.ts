import { startHarness } from '../support/headshot';
import { DEMO_USERS } from '../../emulator';
test('dbg', async () => {
  const h = await startHarness();
  const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  console.log(await chat.install());
  console.log(JSON.stringify(await chat.all()).slice(0, 300));
  console.log(
    h.logLines
      .filter((l) => /warn|error|fail/i.test(l))
      .join('\n')
      .slice(0, 3000),
  );
  await h.close();
});
