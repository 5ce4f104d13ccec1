// The signed-in user in the header; without a session the page sends the user to sign in.
import { fetchMe, UnauthorizedError, type SignedInUser } from '../core/api';
import { byId } from '../core/dom';
import { onLangChange } from '../core/i18n';
import { tOr } from './messages';

export async function showSignedInUser(): Promise<SignedInUser | null> {
  try {
    const user = await fetchMe();
    const render = () => {
      byId('user-name').textContent = user.displayName;
      byId('user-role').textContent = tOr(`role.${user.role}`, user.role);
    };
    onLangChange(render);
    render();
    byId('account').hidden = false;
    return user;
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      location.assign('/login?returnUrl=/');
      return null;
    }
    throw error;
  }
}

