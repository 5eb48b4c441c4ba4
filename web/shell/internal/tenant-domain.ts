/**
 * A readable name for the user's tenant, where one is known without a Graph call: the authority's
 * tenant segment when it is a domain (`contoso.onmicrosoft.com`), else the domain of the user's
 * sign-in name when they are a member (not a guest, whose name carries `#EXT#`) of the tenant.
 * `undefined` means only the tenant ID is known.
 */
export function tenantDomain(authorityTenant: string, username: string | undefined): string | undefined {
  if (authorityTenant.includes(".")) return authorityTenant.toLowerCase();
  if (!username || username.includes("#EXT#")) return undefined;
  const at = username.lastIndexOf("@");
  const domain = at >= 0 ? username.slice(at + 1).toLowerCase() : "";
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : undefined;
}
