/** What an endpoint quotes of a request never reaches errors[] with a session token or secret key in it. */
import { expect } from 'chai';
import fc from 'fast-check';
import { toFailure } from '../../src/collect/classify.ts';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';

/** A session token as STS issues them (`IQoJ...`, base64 with `+`, `/` and `=`). */
const token = fc.array(fc.constantFrom(...BASE64), { minLength: 20, maxLength: 300 }).map((cs) => `IQoJ${cs.join('')}`);

/** The names a token or secret key goes by: the header and query parameter, the shared-files and environment keys, STS's fields. */
const NAMES = ['x-amz-security-token', 'X-Amz-Security-Token', 'X-AMZ-SECURITY-TOKEN', 'aws_session_token', 'AWS_SESSION_TOKEN', 'aws_security_token', 'SessionToken', 'sessionToken', 'aws_secret_access_key', 'SecretAccessKey'];

/** The other secrets the credential providers send: web identity token, external id, SSO bearer token, SSO OIDC's tokens and client secret, the container credentials' Authorization token. */
const PROVIDER_NAMES = ['WebIdentityToken', 'ExternalId', 'x-amz-sso_bearer_token', 'accessToken', 'refreshToken', 'clientSecret', 'Authorization', 'authorization'];

/** Ways a server, a proxy or an SDK's debug output writes a name and its value down. */
const FORMS: Record<string, (name: string, value: string) => string> = {
  header: (n, v) => `${n}: ${v}`,
  headerTight: (n, v) => `${n}:${v}`,
  json: (n, v) => JSON.stringify({ host: 'cloudtrail.us-east-1.amazonaws.com', [n]: v }),
  jsonSpaced: (n, v) => `{"${n}": "${v}"}`,
  jsonEscapedSlashes: (n, v) => `{"${n}":"${v.replace(/\//g, '\\/')}"}`,
  jsonInAString: (n, v) => JSON.stringify(JSON.stringify({ [n]: v })),
  python: (n, v) => `{'${n}': '${v}'}`,
  pythonTight: (n, v) => `{'${n}':'${v}'}`,
  presignedUrl: (n, v) => `https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&${n}=${encodeURIComponent(v)}&X-Amz-Signature=0f`,
  urlInAUrl: (n, v) => `https://proxy.example/?target=${encodeURIComponent(`https://b.s3.amazonaws.com/k?${n}=${encodeURIComponent(v)}&x=1`)}`,
  ini: (n, v) => `[default]\n${n} = ${v}\n`,
  environment: (n, v) => `${n}=${v}`,
  // STS's own elements; the other names inside an XML error message.
  xml: (n, v) => (/^(SessionToken|SecretAccessKey)$/.test(n) ? `<Credentials><${n}>${v}</${n}></Credentials>` : `<Error><Message>${n}: ${v}</Message></Error>`),
};

/** Every spelling of the value an embedding may hold, whole or URL-encoded once or twice, or JSON-escaped. */
function spellings(v: string): string[] {
  return [v, v.replace(/\//g, '\\/'), encodeURIComponent(v), encodeURIComponent(encodeURIComponent(v))];
}

describe('collect: redaction of quoted credentials', () => {
  it('no 12 characters of a session token or secret survive, in any of its usual names and forms', () => {
    fc.assert(
      fc.property(
        token,
        fc.constantFrom(...NAMES, ...PROVIDER_NAMES),
        fc.constantFrom(...Object.keys(FORMS)),
        fc.constantFrom('', 'Error: ', 'The request was: ', '{"headers":'),
        fc.constantFrom('', ' ', ',', ';', '}', ' and more', '\n'),
        (t, name, form, before, after) => {
          const message = toFailure(new Error(`${before}${FORMS[form](name, t)}${after}`)).message;
          for (const s of spellings(t)) {
            for (let i = 0; i + 12 <= s.length; i++) expect(message, `${form} ${name}: ${s.slice(i, i + 12)}`).not.to.contain(s.slice(i, i + 12));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps the names and the rest of the message, so the error still says what happened', () => {
    expect(toFailure(new Error('{"x-amz-security-token":"IQoJb3JpZ2luX2VjEXAMPLEtoken","x-amz-date":"20261121T000000Z"}')).message).to.equal('{"x-amz-security-token":"[redacted]","x-amz-date":"20261121T000000Z"}');
    expect(toFailure(new Error("denied: {'X-Amz-Security-Token': 'IQoJb3JpZ2luX2VjEXAMPLEtoken'}")).message).to.equal("denied: {'X-Amz-Security-Token': '[redacted]'}");
    expect(toFailure(new Error('aws_session_token = IQoJb3JpZ2luX2VjEXAMPLEtoken in profile x')).message).to.equal('aws_session_token = [redacted] in profile x');
    expect(toFailure(new Error('<SessionToken>IQoJb3JpZ2luX2VjEXAMPLEtoken</SessionToken>')).message).to.equal('<SessionToken>[redacted]</SessionToken>');
    // Words that only look like the names are left alone.
    expect(toFailure(new Error('The security token included in the request is invalid.')).message).to.equal('The security token included in the request is invalid.');
  });

  it('redacts what the credential providers send when an endpoint quotes their requests', () => {
    const body = 'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FX&WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2ln%0A';
    expect(toFailure(new Error(`denied: ${body}`)).message).to.equal('denied: Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FX&WebIdentityToken=[redacted]');
    expect(toFailure(new Error('body=Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FX&ExternalId=Wq7-secret-id')).message).to.equal('body=Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FX&ExternalId=[redacted]');
    expect(toFailure(new Error('x-amz-sso_bearer_token: aoaAAAAAGabcdefSSOtoken url=/federation/credentials')).message).to.equal('x-amz-sso_bearer_token: [redacted] url=/federation/credentials');
  });

  // The container provider sends its token as the whole Authorization header, and makes a 4xx answer's Code the error's code.
  it('redacts the container credentials\' authorization token, and leaves a SigV4 header\'s algorithm', () => {
    const e = Object.assign(new Error('Server responded with status: 403'), { Code: 'Authorization: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2lnbmF0dXJl' });
    expect(toFailure(e).code).to.equal('Authorization: [redacted]');
    expect(toFailure(new Error('headers: {"Authorization":"Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2ln"}')).message).to.equal('headers: {"Authorization":"[redacted]"}');
    expect(toFailure(new Error('Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261121/us-east-1/sts/aws4_request')).message).to.equal('Authorization: AWS4-HMAC-SHA256 Credential=[redacted]');
    expect(toFailure(new Error('The authorization header is malformed; the region is wrong')).message).to.equal('The authorization header is malformed; the region is wrong');
  });

  // S3, EC2 and STS put any text of the server's in <Code>, and the SDK makes it the error's name.
  it('redacts the error code too, when the server quotes the request there', () => {
    const e = Object.assign(new Error('x'), {
      name: 'x-amz-security-token: IQoJb3JpZ2luX2VjEXAMPLEtoken Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261121/us-east-1/ec2/aws4_request, Signature=0123456789abcdef',
      $metadata: { httpStatusCode: 400 },
    });
    expect(toFailure(e).code).to.equal('x-amz-security-token: [redacted] Authorization: AWS4-HMAC-SHA256 Credential=[redacted], Signature=[redacted]');
    // An ordinary code is left as it is.
    expect(toFailure(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).code).to.equal('AccessDenied');
  });
});
