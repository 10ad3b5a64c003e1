// Drives netlicensing-server with the unmodified official JavaScript client (npm netlicensing-client).
// Usage: node chain.mjs <base URL ending in /core/v2/rest> <unique suffix>
import nl from 'netlicensing-client';

const [base, suffix] = process.argv.slice(2);
const fail = (message) => {
  console.error(`FAIL: ${message}`);
  process.exit(1);
};
const check = (condition, message) => condition || fail(message);
const expectError = async (promise, status, message) => {
  try {
    await promise;
  } catch (error) {
    const got = error?.response?.status ?? error?.status;
    return check(got === status, `${message}: expected ${status}, got ${got} (${error})`);
  }
  return fail(`${message}: no error`);
};

const context = new nl.Context()
  .setBaseUrl(base)
  .setSecurityMode(nl.Constants.BASIC_AUTHENTICATION)
  .setUsername('demo')
  .setPassword('demo');

const p = `PJS${suffix}`;
const product = new nl.Product();
product.setNumber(p);
product.setName('JS product');
product.setProperty('crm', '7');
product.addDiscount(new nl.ProductDiscount({ totalPrice: 100, currency: 'EUR', amountFix: 10 }));
product.addDiscount(new nl.ProductDiscount({ totalPrice: 10, currency: 'EUR', amountPercent: 9 }));
const created = await nl.ProductService.create(context, product);
check(created.getNumber() === p, `product number ${created.getNumber()}`);
check(created.getActive() === true, 'product active');
check(created.getProperty('crm') === '7', 'custom property');
check(created.getProductDiscounts().length === 2, 'two discounts');

const module = new nl.ProductModule();
module.setNumber(`MJS${suffix}`);
module.setName('JS module');
module.setLicensingModel('Subscription');
await nl.ProductModuleService.create(context, p, module);

const template = new nl.LicenseTemplate();
template.setNumber(`EJS${suffix}`);
template.setName('Month');
template.setLicenseType('TIMEVOLUME');
template.setProperty('timeVolume', '1');
template.setProperty('timeVolumePeriod', 'MONTH');
template.setPrice(5);
template.setCurrency('EUR');
const createdTemplate = await nl.LicenseTemplateService.create(context, `MJS${suffix}`, template);
check(createdTemplate.getPrice() === 5, `template price ${createdTemplate.getPrice()}`);

const licensee = new nl.Licensee();
licensee.setNumber(`IJS${suffix}`);
licensee.setName('JS customer');
await nl.LicenseeService.create(context, p, licensee);

const license = new nl.License();
license.setActive(true);
license.setProperty('startDate', 'now');
const createdLicense = await nl.LicenseService.create(context, `IJS${suffix}`, `EJS${suffix}`, null, license);
check(createdLicense.getNumber().startsWith('L'), `generated license number ${createdLicense.getNumber()}`);

const page = await nl.LicenseService.list(context, { licenseeNumber: `IJS${suffix}` });
const licenses = page.getContent ? page.getContent() : page;
check(licenses.length === 1, `one license listed, got ${licenses.length}`);
// Paging values arrive as strings, as the real service sends them (the client's own hasNext() compares them
// as strings, so it is not checked here).
check(Number(page.getTotalItems()) === 1 && Number(page.getTotalPages()) === 1, 'paging');

const types = await nl.UtilityService.listLicenseTypes(context);
const typeNames = (types.getContent ? types.getContent() : types).map((t) => t.name);
check(typeNames.includes('FLOATING'), `license types ${typeNames}`);

const fetched = await nl.LicenseeService.get(context, `IJS${suffix}`);
fetched.setName('Renamed');
const updated = await nl.LicenseeService.update(context, `IJS${suffix}`, fetched);
check(updated.getName() === 'Renamed', 'licensee renamed');

await expectError(nl.ProductService.get(context, `NOPE${suffix}`), 404, 'unknown product');
await expectError(nl.ProductService.delete(context, p, false), 400, 'product in use');
await nl.ProductService.delete(context, p, true);
await expectError(nl.LicenseeService.get(context, `IJS${suffix}`), 404, 'cascaded licensee');

const token = new nl.Token();
token.setTokenType('APIKEY');
token.setProperty('apiKeyRole', 'ROLE_APIKEY_ANALYTICS');
const key = await nl.TokenService.create(context, token);
const keyContext = new nl.Context()
  .setBaseUrl(base)
  .setSecurityMode(nl.Constants.APIKEY_IDENTIFICATION)
  .setApiKey(key.getNumber());
const models = await nl.UtilityService.listLicensingModels(keyContext);
check((models.getContent ? models.getContent() : models).length === 9, 'nine licensing models');
await expectError(nl.ProductService.create(keyContext, product), 403, 'analytics key cannot create');

console.log('official JavaScript client: all checks passed');
