// The "erase recipient" action (DELETE /api/crm/recipients), for all-tenant tokens only: an operator's tool, not a
// sales rep's. Two steps, since an erase cannot be undone. See docs/design.md, "Privacy".
const $ = (selector) => document.querySelector(selector);

// api: the page's authorised fetch; tenant: the tenant field's value when asked; showError: the page's error line
export function eraseAction({ api, tenant, showError }) {
  const confirm = (shown) => { $('#erase-confirm').hidden = !shown; };

  $('#erase').addEventListener('submit', (e) => {
    e.preventDefault();
    $('#erased').textContent = '';
    $('#erase-question').textContent =
      `Erase everything recorded about ${$('#erase-email').value.trim()} in tenant ${tenant()}?`;
    confirm(true);
    $('#erase-no').focus();
  });
  $('#erase-no').addEventListener('click', () => confirm(false));
  $('#erase-yes').addEventListener('click', async () => {
    confirm(false);
    const params = new URLSearchParams({ tenantId: tenant(), email: $('#erase-email').value.trim() });
    try {
      const { erasedActivities } = await api(`/api/crm/recipients?${params}`, { method: 'DELETE' });
      $('#erased').textContent = `Erased from ${erasedActivities} activit${erasedActivities === 1 ? 'y' : 'ies'}`;
      $('#erase-email').value = '';
      showError(null);
    } catch (error) {
      showError(error);
    }
  });
}

// shown to an all-tenant token alone (caller.tenantId null); an unanswered caller question hides it too
export function showErase(caller) {
  $('#erase').hidden = caller.tenantId !== null;
}
