import { type FormEvent } from 'react';
import { useGraphqlMutation, useGraphqlQuery } from '../../api/graphql-queries';
import { graphql } from '../../graphql/graphql';
import { useSession, useViewer } from '../../session/session';
import { FormAlert, TextAreaField, TextField } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { useToast } from '../../ui/toast';
import { useFormErrors } from '../../ui/use-form-errors';
import { NicheMembership } from './niche-membership';

const UPDATE_PROFILE = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      id
      displayName
      bio
    }
  }
`);

const PROFILE_BIO = graphql(`
  query ProfileBio {
    viewer {
      member {
        id
        bio
      }
    }
  }
`);

export default function ProfilePage() {
  const viewer = useViewer();
  return (
    <div className="page">
      <PageHeader title="Profile" description={`Signed in as ${viewer.email}`} />
      <ProfileForm />
      <section className="card" aria-labelledby="niches-title">
        <h2 id="niches-title" className="card__title">
          Your niches
        </h2>
        <p className="muted">Your feed shows posts from the niches you join; your own posts go to one of them.</p>
        <NicheMembership />
      </section>
    </div>
  );
}

function ProfileForm() {
  const viewer = useViewer();
  const { updateViewer } = useSession();
  const toast = useToast();
  const { mutateAsync: update, isPending: pending } = useGraphqlMutation(UPDATE_PROFILE);
  const { formRef, errors, showInvalid, showError, clear } = useFormErrors({ fields: ['displayName', 'bio'] });
  const bio = useBio();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const displayName = String(data.get('displayName') ?? '').trim();
    // Without the current bio (it failed to load) the field is absent and the bio is left as it is.
    const newBio = data.has('bio') ? String(data.get('bio')).trim() : undefined;
    const invalid = showInvalid({
      displayName: !displayName
        ? 'Enter the name peers will see'
        : displayName.length > 80
          ? 'A display name is at most 80 characters'
          : undefined,
      bio: newBio && newBio.length > 500 ? 'A bio is at most 500 characters' : undefined,
    });
    if (invalid) return;
    try {
      const result = await update({ input: { displayName, bio: newBio } });
      updateViewer((v) => ({ ...v, member: { ...v.member, displayName: result.updateProfile.displayName } }));
      clear();
      toast.success('Profile saved');
    } catch (error) {
      showError(error);
    }
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form card" aria-labelledby="profile-title">
      <h2 id="profile-title" className="card__title">
        About you
      </h2>
      <FormAlert message={errors.message} />
      <TextField label="Handle" name="handle" value={`@${viewer.member.handle}`} readOnly hint="Handles cannot be changed." />
      <TextField label="Display name" name="displayName" defaultValue={viewer.member.displayName} error={errors.fields.displayName} />
      {bio.known && (
        <TextAreaField
          label="Bio"
          name="bio"
          rows={3}
          defaultValue={bio.value ?? ''}
          hint="Up to 500 characters."
          error={errors.fields.bio}
        />
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={pending || !bio.loaded}>
          {pending ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}

function useBio(): { loaded: boolean; known: boolean; value?: string | null } {
  const result = useGraphqlQuery(PROFILE_BIO);
  return { loaded: !result.isPending, known: result.data !== undefined, value: result.data?.viewer.member.bio };
}
