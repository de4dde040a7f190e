/** The Admin page: scaffold, replaced by the admin page work. */
import type { TabPage } from '../page-context';

export const adminPage: TabPage = {
  id: 'admin',
  strings: { en: {}, fi: {}, nl: {}, pl: {} },
  visible: (me) => me.isAdmin,
  render: () => undefined,
};
