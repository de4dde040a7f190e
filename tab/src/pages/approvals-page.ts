/** The Approvals page (managers): scaffold, replaced by the approvals page work. */
import type { TabPage } from '../page-context';

export const approvalsPage: TabPage = {
  id: 'approvals',
  strings: { en: {}, fi: {}, nl: {}, pl: {} },
  visible: (me) => me.isApprover,
  render: () => undefined,
};
