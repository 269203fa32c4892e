// Presentation helpers for user records coming from the accounts API.

export function fullName(user) {
  return [user.firstName, user.lastName].filter(Boolean).join(" ");
}

export function displayName(user) {
  const profile = user.profile;
  if (profile.nickname) return profile.nickname;
  return fullName(user) || user.login;
}

export function avatarUrl(user, size = 64) {
  const base = user.profile?.avatar ?? `https://avatars.example.test/${encodeURIComponent(user.login)}`;
  return `${base}?s=${size}`;
}

export function mentionList(users) {
  return users.map((user) => `@${user.login}`).join(", ");
}

export function sortByDisplayName(users) {
  return [...users].sort((a, b) => displayName(a).localeCompare(displayName(b)));
}
