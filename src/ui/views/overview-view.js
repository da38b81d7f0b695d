import { stateBadge, tag } from '../components/badges.js';
import { emptyState, errorState, loadingState, pageHeader } from '../components/states.js';
import { routeHash } from '../lib/context.js';
import { announce } from '../components/announcer.js';
import { h, replace, uniqueId } from '../lib/dom.js';
import { openCreateKeySetDialog } from './key-actions.js';
import {
  custodyLabel,
  formatDuration,
  formatRelative,
  formatTime,
  shortKid,
  TRANSITION_LABELS,
} from '../lib/format.js';

/** @typedef {import('../lib/api-types.js').KeySetResource} KeySetResource */
/** @typedef {import('../lib/api-types.js').AuthorizationServerResource} AuthorizationServerResource */

/**
 * The tenant overview: its authorization servers and identity providers, each with its key sets
 * (grouped by the key sets' owner, so any owner type the API adds shows up).
 * @param {import('../lib/context.js').AppContext} context
 * @param {HTMLElement} main
 */
export async function renderOverviewView(context, main) {
  const body = h('div', { class: 'stack-lg' }, loadingState('key sets'));
  replace(
    main,
    pageHeader({ title: 'Overview', subtitle: ['Signing keys of tenant ', h('strong', {}, context.tenantName)] }),
    body,
  );

  const [keySets, servers] = await Promise.allSettled([
    context.api.get('/key-sets').then((r) => /** @type {{ items: KeySetResource[] }} */ (r).items),
    context.api
      .get('/authorization-servers')
      .then((r) => /** @type {{ items: AuthorizationServerResource[] }} */ (r).items),
  ]);
  if (keySets.status === 'rejected') {
    replace(body, errorState(keySets.reason, 'keys:read'));
    return;
  }
  /** @type {Map<string, KeySetResource[]>} */
  const byOwner = new Map();
  for (const keySet of keySets.value) {
    const key = `${keySet.ownerType}:${keySet.ownerId}`;
    byOwner.set(key, [...(byOwner.get(key) ?? []), keySet]);
  }
  const serverList = servers.status === 'fulfilled' ? servers.value : [];
  const serverIds = new Set(serverList.map((server) => server.id));
  // Servers the credential cannot list still show, by id, through their key sets.
  for (const keySet of keySets.value) {
    if (keySet.ownerType === 'authorizationServer' && !serverIds.has(keySet.ownerId)) {
      serverIds.add(keySet.ownerId);
      serverList.push(
        /** @type {AuthorizationServerResource} */ ({
          id: keySet.ownerId,
          name: keySet.ownerId,
          audiences: [],
          accessTokenLifetimeSeconds: 0,
          signingKeySetId: null,
          externalIssuer: null,
          tenantId: keySet.tenantId,
          createdAt: keySet.createdAt,
        }),
      );
    }
  }
  const providers = [
    ...new Set(keySets.value.filter((k) => k.ownerType === 'identityProvider').map((k) => k.ownerId)),
  ].sort();

  replace(
    body,
    h(
      'section',
      { class: 'stack', 'aria-labelledby': 'servers-title' },
      h(
        'div',
        { class: 'section-head' },
        h('h2', { id: 'servers-title' }, 'Authorization servers'),
        h('span', { class: 'count' }, String(serverList.length)),
      ),
      servers.status === 'rejected' ? errorState(servers.reason, 'authorization-servers:read') : null,
      serverList.length === 0
        ? emptyState('No authorization servers', 'Create one with POST /signet/v1/authorization-servers.')
        : null,
      h(
        'div',
        { class: 'owner-grid' },
        serverList.map((server) =>
          ownerCard({
            title: server.name,
            id: server.id,
            kind: 'Authorization server',
            signingKeySetId: server.signingKeySetId,
            facts:
              server.audiences.length > 0
                ? [
                    ['Audiences', server.audiences.join(', ')],
                    ['Access tokens', formatDuration(server.accessTokenLifetimeSeconds)],
                    ['Issuer', server.externalIssuer ?? "Signet's own URL"],
                  ]
                : [],
            extra: server.audiences.length > 0 ? issuerForm(context, server) : null,
            keySets: byOwner.get(`authorizationServer:${server.id}`) ?? [],
            onCreate: () =>
              openCreateKeySetDialog({
                api: context.api,
                serverId: server.id,
                onDone: (result) => context.navigate(routeHash(['key-sets', result.keySet.id])),
              }),
          }),
        ),
      ),
    ),
    h(
      'section',
      { class: 'stack', 'aria-labelledby': 'idps-title' },
      h(
        'div',
        { class: 'section-head' },
        h('h2', { id: 'idps-title' }, 'Identity providers'),
        h('span', { class: 'count' }, String(providers.length)),
      ),
      providers.length === 0
        ? emptyState(
            'No identity provider keys',
            'Key sets that sign requests to upstream identity providers appear here.',
          )
        : h(
            'div',
            { class: 'owner-grid' },
            providers.map((id) =>
              ownerCard({
                title: id,
                id,
                kind: 'Identity provider',
                signingKeySetId: null,
                facts: [],
                extra: null,
                keySets: byOwner.get(`identityProvider:${id}`) ?? [],
              }),
            ),
          ),
    ),
  );
}

/**
 * @param {{ title: string, id: string, kind: string, facts: [string, string][], extra: HTMLElement | null, keySets: KeySetResource[], signingKeySetId: string | null, onCreate?: () => void }} owner
 */
function ownerCard(owner) {
  return h(
    'article',
    { class: 'card owner-card', 'aria-label': `${owner.kind} ${owner.title}` },
    h(
      'header',
      { class: 'owner-head' },
      h('div', {}, h('p', { class: 'eyebrow' }, owner.kind), h('h3', {}, owner.title)),
      owner.id !== owner.title ? h('code', { class: 'muted' }, owner.id) : null,
    ),
    owner.facts.length > 0
      ? h(
          'dl',
          { class: 'facts' },
          owner.facts.map(([name, value]) => h('div', {}, h('dt', {}, name), h('dd', {}, value))),
        )
      : null,
    owner.extra,
    owner.keySets.length === 0
      ? h('p', { class: 'muted' }, 'No key sets.')
      : h(
          'ul',
          { class: 'key-set-list', 'aria-label': 'Key sets' },
          owner.keySets.map((keySet) => keySetRow(keySet, keySet.id === owner.signingKeySetId)),
        ),
    owner.onCreate ? newKeySetButton(owner.onCreate) : null,
  );
}

/** @param {() => void} onClick */
function newKeySetButton(onClick) {
  const button = h('button', { type: 'button', class: 'button button-ghost button-small' }, 'New key set…');
  button.addEventListener('click', onClick);
  return button;
}

/**
 * @param {KeySetResource} keySet
 * @param {boolean} signing
 */
function keySetRow(keySet, signing) {
  const transition = keySet.nextTransition;
  return h(
    'li',
    {},
    h(
      'a',
      { class: 'key-set-link', href: routeHash(['key-sets', keySet.id]) },
      h('span', { class: 'key-set-alg' }, keySet.alg),
      h(
        'span',
        { class: 'key-set-main' },
        h(
          'span',
          { class: 'key-set-title' },
          `${keySet.alg} key set`,
          signing ? tag('signs tokens', 'accent') : null,
          tag(keySet.policy.mode),
          tag(custodyLabel(keySet.custody)),
        ),
        h(
          'span',
          { class: 'key-set-meta' },
          keySet.activeKid ? [stateBadge('active'), ' ', h('code', {}, shortKid(keySet.activeKid))] : 'no active key',
          transition
            ? h(
                'span',
                { class: 'muted', title: formatTime(transition.at) },
                ` · ${TRANSITION_LABELS[transition.action]} ${formatRelative(transition.at)}`,
              )
            : null,
        ),
      ),
      h('span', { class: 'chevron', 'aria-hidden': 'true' }, '›'),
    ),
  );
}

/**
 * Sets or clears the external issuer of an authorization server (its tokens and discovery carry it;
 * its JWKS stays here), then shows the overview again.
 * @param {import('../lib/context.js').AppContext} context
 * @param {AuthorizationServerResource} server
 */
function issuerForm(context, server) {
  const inputId = uniqueId(`issuer-${server.id}`);
  const input = h('input', {
    id: inputId,
    class: 'input',
    type: 'url',
    value: server.externalIssuer ?? '',
    placeholder: 'https://login.example.com',
    autocomplete: 'off',
  });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const form = h(
    'form',
    { class: 'field', novalidate: true },
    h('label', { for: inputId }, `External issuer of ${server.id} (empty: Signet's own)`),
    input,
    error,
    h('button', { type: 'submit', class: 'button button-secondary' }, 'Save issuer'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const value = /** @type {HTMLInputElement} */ (input).value.trim();
    try {
      await context.api.patch(`/authorization-servers/${encodeURIComponent(server.id)}`, {
        externalIssuer: value === '' ? null : value,
      });
      announce(value === '' ? `${server.id} uses Signet's own issuer` : `${server.id} now issues as ${value}`);
      const main = /** @type {HTMLElement} */ (form.closest('main'));
      await renderOverviewView(context, main);
    } catch (failure) {
      error.textContent = failure instanceof Error ? failure.message : String(failure);
      error.hidden = false;
    }
  });
  return form;
}
